import createError from '@fastify/error';

/** Named API errors; the code is what clients match on, the message is for people. */
export const DeviceNotFound = createError<[string]>('HEARTH_DEVICE_NOT_FOUND', "device '%s' not found", 404);
export const InvalidCommand = createError<[string]>('HEARTH_INVALID_COMMAND', 'invalid command: %s', 400);
export const DeviceOffline = createError<[string, string]>('HEARTH_DEVICE_OFFLINE', "device '%s' is offline (command %s failed)", 409);
export const CommandTimeout = createError<[string, string]>(
  'HEARTH_COMMAND_TIMEOUT',
  "device '%s' did not confirm command %s in time",
  504,
);
export const CommandNotDelivered = createError<[string, string]>(
  'HEARTH_COMMAND_NOT_DELIVERED',
  "device '%s': command %s could not be handed to the broker",
  502,
);
export const RoomNotFound = createError<[string]>('HEARTH_ROOM_NOT_FOUND', "room '%s' not found", 404);
export const CredentialNotFound = createError<[string]>('HEARTH_CREDENTIAL_NOT_FOUND', "MQTT credential '%s' not found", 404);
export const CredentialExists = createError<[string]>('HEARTH_CREDENTIAL_EXISTS', '%s', 409);
export const InvalidCredential = createError<[string]>('HEARTH_INVALID_CREDENTIAL', '%s', 400);
