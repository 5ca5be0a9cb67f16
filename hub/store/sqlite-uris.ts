// better-sqlite3 reads SQLITE_USE_URI once, as its addon loads: this module is imported ahead
// of it (store/sqlite.ts) so the hub can name its database by a URI and choose a VFS with it.
// A value the user set is kept; without URIs the hub opens its file the plain way.
process.env.SQLITE_USE_URI ??= '1';
