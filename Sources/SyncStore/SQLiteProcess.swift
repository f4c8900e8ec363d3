import CSQLiteTuning

/// Process-wide SQLite settings, applied once before the first database of the process is
/// opened (SQLite accepts them only before it initializes).
enum SQLiteProcess {
    /// Turns off SQLite's memory statistics, whose process-wide mutex every allocation takes.
    /// The result is ignored on purpose: if something opened SQLite first, the settings are
    /// merely not applied and everything works as before, only a little slower.
    static let configured: Void = {
        _ = tributary_sqlite_configure()
    }()
}
