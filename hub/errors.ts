import createError from '@fastify/error';

/** Named API errors; the code is what clients match on, the message is for people. */
export const DeviceNotFound = createError<[string]>('HEARTH_DEVICE_NOT_FOUND', "device '%s' not found", 404);
export const InvalidCommand = createError<[string]>('HEARTH_INVALID_COMMAND', 'invalid command: %s', 400);
export const DeviceOffline = createError<[string]>('HEARTH_DEVICE_OFFLINE', "device '%s' is offline", 409);
