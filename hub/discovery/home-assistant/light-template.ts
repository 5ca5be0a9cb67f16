import type { DeviceState } from '../../protocol/device.js';
import { hsToRgb, pyFloat, rgbToHs } from '../color.js';
import type { OutgoingMessage } from '../entity.js';
import { compileTemplate, type Template } from '../template/index.js';
import { HUB_SCALE, intentOf, kelvinRange, lightCapabilities, miredToKelvin, kelvinToMired, type LightFeatures } from './light.js';
import type { ComponentInput, EntityParts } from './normalise.js';

/** What Home Assistant's template schema gives `command_on_template` and `command_off_template`. */
const COMMAND_VARIABLES = ['state', 'brightness', 'color_temp', 'color_temp_kelvin', 'red', 'green', 'blue', 'hue', 'sat', 'effect', 'transition', 'flash'];
const STATE_TEMPLATES = ['state_template', 'brightness_template', 'color_temp_template', 'red_template', 'green_template', 'blue_template', 'effect_template'] as const;

/**
 * The template schema (Home Assistant's `schema_template.py`): commands rendered from
 * `command_on_template`/`command_off_template` with the attributes as variables, state read
 * from one topic through a template per attribute (`on`/`off` for the state).
 */
export function templateLight({ config }: ComponentInput): EntityParts | Error {
  if (!config.command_topic) return new Error('light without command_topic');
  if (!config.command_on_template || !config.command_off_template) return new Error('template light without command_on_template and command_off_template');
  const commandOn = compileTemplate(config.command_on_template, COMMAND_VARIABLES);
  const commandOff = compileTemplate(config.command_off_template, COMMAND_VARIABLES);
  if (commandOn instanceof Error) return commandOn;
  if (commandOff instanceof Error) return commandOff;
  const templates: Partial<Record<(typeof STATE_TEMPLATES)[number], Template>> = {};
  for (const key of STATE_TEMPLATES) {
    if (config[key] === undefined) continue;
    const template = compileTemplate(config[key]);
    if (template instanceof Error) return template;
    templates[key] = template;
  }
  const hasColor = !!(templates.red_template && templates.green_template && templates.blue_template);
  const modes = [...(templates.color_temp_template ? ['color_temp'] : []), ...(hasColor ? ['hs'] : [])];
  const features: LightFeatures = {
    // Colour modes dim too (Home Assistant's `brightness_supported`).
    dimmable: !!templates.brightness_template || modes.length > 0,
    modes,
    effects: config.effect_list ?? null,
    kelvin: kelvinRange(config),
  };
  const commandTopic = config.command_topic;
  const qos = config.qos ?? 0;
  return {
    capabilities: lightCapabilities(features),
    optimistic: !config.state_topic || config.optimistic === true,
    stateTopics: config.state_topic ? [config.state_topic] : [],
    commandTopics: [commandTopic],
    decode: (_topic, payload) => {
      const read = (key: (typeof STATE_TEMPLATES)[number]) => {
        const v = templates[key]?.(payload.text, () => payload.json());
        return v === undefined || v === null ? undefined : String(v);
      };
      return decodeState(read, hasColor);
    },
    encode: (command, state = {}): OutgoingMessage[] => {
      const intent = intentOf(command);
      if (!intent) return [];
      if (intent.off) return [{ topic: commandTopic, payload: String(commandOff(undefined, () => undefined, { state: false })), qos }];
      const values: Record<string, unknown> = { state: true };
      if (intent.brightness !== undefined) values.brightness = intent.brightness;
      if (intent.colorTemp !== undefined) {
        values.color_temp_kelvin = miredToKelvin(intent.colorTemp);
        values.color_temp = kelvinToMired(values.color_temp_kelvin as number);
      }
      if (intent.color !== undefined) {
        const { h, s } = rgbToHs(intent.color);
        // With a brightness template of its own the light is sent full-value channels.
        const current = typeof state.brightness === 'number' ? state.brightness : HUB_SCALE;
        const brightness = templates.brightness_template ? HUB_SCALE : (intent.brightness ?? current);
        // Hue and saturation are Python floats there: `100.0`, not `100`.
        Object.assign(values, renamed(hsToRgb(h, s, (brightness / HUB_SCALE) * 100)), { hue: pyFloat(h), sat: pyFloat(s) });
      }
      if (intent.effect !== undefined && features.effects?.includes(intent.effect)) values.effect = intent.effect;
      return [{ topic: commandTopic, payload: String(commandOn(undefined, () => undefined, values)), qos }];
    },
  };
}

const renamed = ({ r, g, b }: { r: number; g: number; b: number }) => ({ red: r, green: g, blue: b });

/** `on`/`off` (or `None`) from the state template, numbers from the others; a missing or `None` value says nothing. */
function decodeState(read: (key: (typeof STATE_TEMPLATES)[number]) => string | undefined, hasColor: boolean): DeviceState | Error {
  const state: Record<string, DeviceState[string]> = {};
  const word = read('state_template');
  if (word === 'on' || word === 'off') state.on = word === 'on';
  else if (word === 'None') state.on = null;
  else if (word !== undefined && word !== '') return new Error(`light state ${JSON.stringify(word)} is neither on nor off`);
  const number = (key: (typeof STATE_TEMPLATES)[number]) => {
    const v = read(key);
    const n = v === undefined || v === 'None' || v === '' ? undefined : Number(v);
    return n !== undefined && Number.isFinite(n) ? Math.trunc(n) : undefined;
  };
  const brightness = number('brightness_template');
  if (brightness) state.brightness = Math.min(brightness, HUB_SCALE);
  const colorTemp = number('color_temp_template');
  if (colorTemp) state.colorTemp = colorTemp;
  const [r, g, b] = [number('red_template'), number('green_template'), number('blue_template')];
  if (hasColor && r !== undefined && g !== undefined && b !== undefined) {
    const { h, s } = rgbToHs({ r, g, b });
    state.color = hsToRgb(h, s);
  }
  const effect = read('effect_template');
  if (effect !== undefined && effect !== '') state.effect = effect;
  return state;
}
