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
export const CredentialsOnExternalBroker = createError<[string]>(
  'HEARTH_EXTERNAL_BROKER',
  'the hub uses the MQTT broker at %s: make device users on that broker (for Mosquitto, mosquitto_passwd), or give the hub its dynamic security (--mqtt-dynsec)',
  409,
);
/** Stops the hub at start: `--broker mosquitto` without Mosquitto installed. */
export const MosquittoMissing = createError<[string]>(
  'HEARTH_MOSQUITTO_MISSING',
  '--broker mosquitto needs Debian\'s mosquitto package (apt-get install mosquitto): %s',
  500,
);
export const RoomNotFound = createError<[string]>('HEARTH_ROOM_NOT_FOUND', "room '%s' not found", 404);
export const RoomNameTaken = createError<[string]>('HEARTH_ROOM_NAME_TAKEN', "there is already a room named '%s'", 409);
export const InvalidRoomChange = createError<[string]>('HEARTH_INVALID_ROOM_CHANGE', '%s', 400);
export const Unauthenticated = createError('HEARTH_UNAUTHENTICATED', 'log in, or send an API token as "Authorization: Bearer <token>"', 401);
export const Forbidden = createError<[string, string]>('HEARTH_FORBIDDEN', "the role '%s' may not %s", 403);
export const CrossOrigin = createError<[string]>('HEARTH_CROSS_ORIGIN', "requests from origin '%s' are not accepted", 403);
export const BadCredentials = createError('HEARTH_BAD_CREDENTIALS', 'wrong user name or password', 401);
export const TooManyAttempts = createError<[number]>('HEARTH_TOO_MANY_ATTEMPTS', 'too many failed logins; try again in %d s', 429);
export const BadSetupCode = createError(
  'HEARTH_BAD_SETUP_CODE',
  'wrong setup code: the hub printed it in its terminal and log when it started ("onboarding asks for the setup code …")',
  403,
);
export const UnknownHost = createError<[string, string]>(
  'HEARTH_UNKNOWN_HOST',
  "this hub does not answer to the name '%s'; if it is yours, start the hub with --public-host %s",
  421,
);
export const AlreadyOnboarded = createError('HEARTH_ALREADY_ONBOARDED', 'the hub already has an owner; log in instead', 409);
export const UserExists = createError<[string]>('HEARTH_USER_EXISTS', "a user named '%s' already exists", 409);
export const UserNotFound = createError<[string]>('HEARTH_USER_NOT_FOUND', "user '%s' not found", 404);
export const TokenNotFound = createError<[string]>('HEARTH_TOKEN_NOT_FOUND', "token '%s' not found", 404);
export const OwnerProtected = createError('HEARTH_OWNER_PROTECTED', 'the owner account cannot be removed or given another role; the owner hands it over instead', 409);
export const WrongPassword = createError('HEARTH_WRONG_PASSWORD', 'the current password is wrong', 403);
export const OwnerOnly = createError('HEARTH_OWNER_ONLY', 'only the owner may hand over the owner role', 403);
export const SessionNotFound = createError<[string]>('HEARTH_SESSION_NOT_FOUND', "you have no session '%s'", 404);
export const StorageUnavailable = createError(
  'HEARTH_STORAGE_UNAVAILABLE',
  'the hub cannot write to its database right now (disk full or locked); live state is still served',
  503,
);
export const CredentialNotFound = createError<[string]>('HEARTH_CREDENTIAL_NOT_FOUND', "MQTT credential '%s' not found", 404);
export const CredentialExists = createError<[string]>('HEARTH_CREDENTIAL_EXISTS', '%s', 409);
export const InvalidCredential = createError<[string]>('HEARTH_INVALID_CREDENTIAL', '%s', 400);
export const BackupNotFound = createError<[string]>('HEARTH_BACKUP_NOT_FOUND', "backup '%s' not found", 404);
export const AutomationNotFound = createError<[string]>('HEARTH_AUTOMATION_NOT_FOUND', "automation '%s' not found", 404);
export const InvalidAutomation = createError<[string]>('HEARTH_INVALID_AUTOMATION', 'invalid automation: %s', 400);
export const SceneNotFound = createError<[string]>('HEARTH_SCENE_NOT_FOUND', "scene '%s' not found", 404);
export const InvalidScene = createError<[string]>('HEARTH_INVALID_SCENE', 'invalid scene: %s', 400);
export const InvalidSettings = createError<[string]>('HEARTH_INVALID_SETTINGS', 'invalid settings: %s', 400);
