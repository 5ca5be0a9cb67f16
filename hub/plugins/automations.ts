import fp from 'fastify-plugin';
import { Automations } from '../automations/engine.js';
import type { Clock } from '../automations/clock.js';
import { HomeSettingsStore } from '../automations/home-settings.js';
import { Notifications } from '../automations/notifications.js';
import { AutomationStore } from '../automations/store.js';
import { switchLights } from '../commands/group.js';

declare module 'fastify' {
  interface FastifyInstance {
    automations: Automations;
    homeSettings: HomeSettingsStore;
    notifications: Notifications;
  }
}

export interface AutomationsOptions {
  clock: Clock;
  loopLimit: number;
}

/**
 * Automations, the home's place and clock, and notifications. Automations act only through
 * the hub's command path (hub/commands), as the dashboard does; armed once the hub is ready.
 */
export const automationsPlugin = fp<AutomationsOptions>(
  async (app, { clock, loopLimit }) => {
    const log = app.log.child({ plugin: 'automations' });
    const homeSettings = new HomeSettingsStore(app.store.db);
    const notifications = new Notifications(app.store.db, (notification) => app.journal.append({ type: 'notification', notification }));
    const automations: Automations = new Automations({
      store: new AutomationStore(app.store.db),
      clock,
      home: () => homeSettings.get(),
      devices: app.registry,
      loopLimit,
      log,
      announce: (id, automation) => app.journal.append({ type: 'automation', id, automation }),
      announceTrace: (trace) => app.journal.append({ type: 'trace', trace }),
      effects: {
        send: (device, command) => app.commands.send(device, command),
        applyScene: (id) => app.applyScene(id),
        roomLights: async (room, on, brightness) => {
          if (room !== null && !app.rooms.get(room)) return null;
          return switchLights(app.commands, app.registry.list(), room, on, brightness);
        },
        notify: (message, automation) => notifications.add(message, automation, clock.now()),
        setEnabled: (id: string, enabled: boolean): boolean => automations.setEnabled(id, enabled) !== undefined,
      },
    });
    app.decorate('automations', automations);
    app.decorate('homeSettings', homeSettings);
    app.decorate('notifications', notifications);
    app.addHook('onReady', async () => automations.start());
    app.addHook('preClose', async () => automations.stop());
  },
  { name: 'automations', dependencies: ['store', 'registry', 'journal', 'commands', 'rooms', 'scenes'] },
);
