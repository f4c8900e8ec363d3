/// A hand-written JSON codec for the sync protocol's hot messages (``PushRequest``,
/// ``PullResponse``, ``SnapshotPage`` and their parts), the fast path beside their `Codable`
/// conformances, which stay for everything else.
///
/// The output is plain JSON that `JSONDecoder` reads back to the same value: the `Codable`
/// key names, the same optional keys left out (`elem` when `nil`, `bases` and `superseded`
/// when empty, `next` when `nil`), no whitespace, strings escaped as ``CanonicalJSON`` does
/// (`"`, `\` and U+0000–U+001F only; everything else passes as UTF-8), integers in decimal and
/// numbers in ``CanonicalJSON/numberText(_:)`` form when that is exact, else Swift's shortest
/// round-trip form.
///
/// The reader accepts any valid JSON `JSONDecoder` accepts for these types — whitespace
/// anywhere, keys in any order, keys escaped, unknown keys (with any nested value) skipped,
/// every string escape with surrogate pairs, a leading UTF-8 byte order mark — and it refuses
/// invalid UTF-8, lone surrogates, bad numbers, negative, fractional or overflowing `seq` and
/// out-of-range `cursor`, wrong types, missing required keys and trailing garbage, with a
/// ``WireJSONError`` that names where, never what (values may be personal data).
///
/// Intended differences from `JSONDecoder` (it is stricter where Foundation is lenient):
/// - the whole body must be valid JSON, unknown keys included: Foundation only checks the
///   structure of values it never decodes (it accepts `{"x":01}`, `{"x":"\ud800"}`, invalid
///   UTF-8 in an unused string, a trailing comma);
/// - arrays and objects nest at most ``maxDepth`` deep (Foundation allows 512);
/// - an integer field (`seq`, `cursor`) written with a fraction or exponent (`1.0`, `1e2`) is
///   accepted only when it is a whole number below 2⁵³; a field value so written becomes
///   `.int` when whole and below 2⁵³ in magnitude, as in Foundation, and is refused when whole
///   and from 2⁵³ to 2⁶³ (Foundation converts those through `Decimal`, with its own
///   truncations; no valid field holds such a number);
/// - a number that is not finite (`FieldValue.number(.nan)`, which no validated change holds
///   and JSON cannot write) is written as `null`; Foundation's encoder throws.
/// With duplicate keys the first one counts, as in Foundation.
///
/// Speed (release build, thread CPU time on one core of a busy 2-core machine): push requests
/// and pull responses of 1,000 changes of ~190 bytes each decode at ~2.1M changes/s against
/// Foundation's ~130k and encode at ~4.0M against ~180k; snapshot pages of 200 records of
/// seven fields (~1 kB each) decode at ~360k records/s against ~14k and encode at ~950k
/// against ~21k.
public enum WireJSON {
    /// How deep arrays and objects may nest in a body, unknown keys included.
    public static let maxDepth = 64

    /// The JSON text of `message`.
    public static func encode<Message: WireJSONMessage>(_ message: Message) -> [UInt8] {
        var writer = WireJSONWriter(capacity: message.estimatedWireSize)
        message.write(to: &writer)
        return writer.finish()
    }

    /// Appends the JSON text of `message` to `bytes`.
    public static func encode<Message: WireJSONMessage>(_ message: Message, into bytes: inout [UInt8]) {
        var writer = WireJSONWriter(capacity: message.estimatedWireSize)
        message.write(to: &writer)
        writer.finish(appendingTo: &bytes)
    }

    /// Reads a `Message` from the JSON text in `bytes` (a NIO `ByteBuffer` hands these out
    /// without copying through `withUnsafeReadableBytes`).
    public static func decode<Message: WireJSONMessage>(
        _ type: Message.Type, from bytes: UnsafeRawBufferPointer
    ) throws(WireJSONError) -> Message {
        var reader = WireJSONReader(bytes)
        do {
            reader.skipByteOrderMark()
            let message = try Message.read(from: &reader)
            try reader.expectEnd()
            return message
        } catch {
            // A shape error in a body that is not even JSON is reported as malformed JSON.
            guard error.kind.isShapeError, let malformed = WireJSONReader.firstSyntaxError(in: bytes) else { throw error }
            throw malformed
        }
    }

    /// Reads a `Message` from the JSON text in `bytes`.
    public static func decode<Message: WireJSONMessage>(
        _ type: Message.Type, from bytes: some Collection<UInt8>
    ) throws(WireJSONError) -> Message {
        let result: Result<Message, WireJSONError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(WireJSONError) in try decode(type, from: UnsafeRawBufferPointer(buffer)) }
        }
        if let result { return try result.get() }
        return try Array(bytes).withUnsafeBytes { buffer in
            Result { () throws(WireJSONError) in try decode(type, from: buffer) }
        }.get()
    }
}

/// A message the ``WireJSON`` codec reads and writes.
public protocol WireJSONMessage: Sendable {
    /// Reads one value at the reader's position.
    static func read(from reader: inout WireJSONReader) throws(WireJSONError) -> Self
    /// Writes the value.
    func write(to writer: inout WireJSONWriter)
    /// About how many bytes the JSON text takes, to size the output once.
    var estimatedWireSize: Int { get }
}

extension WireJSONMessage {
    public var estimatedWireSize: Int { 256 }
}
