#ifndef CSQLITETUNING_H
#define CSQLITETUNING_H

/// Process-wide SQLite settings that Swift cannot make itself (`sqlite3_config` is a C
/// variadic function). Call once, before the first database connection is opened: SQLite
/// refuses (SQLITE_MISUSE) once it has initialized. Returns an SQLite result code.
int tributary_sqlite_configure(void);

#endif
