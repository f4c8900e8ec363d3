#include "CSQLiteTuning.h"
#include <sqlite3.h>

int tributary_sqlite_configure(void) {
    // Memory statistics (sqlite3_memory_used and friends, which Tributary never reads) make
    // every sqlite3_malloc and sqlite3_free take a process-wide mutex. With them off, the
    // hub's ingest and the station's apply spend about a fifth less CPU (Benchmarks/NOTES.md).
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
