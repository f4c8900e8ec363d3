extension Duration {
    /// The whole milliseconds of this duration (seconds included), for logs.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}
