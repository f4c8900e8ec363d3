import Foundation

/// Files of the repository, found from this source file's path.
enum Fixture {
    /// The repository root: this file is at `Tests/CountyWorkTests/Fixture.swift`.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // CountyWorkTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// The bytes of the file at `path`, relative to the repository root.
    static func data(_ path: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent(path))
    }

    /// The text of the UTF-8 file at `path`, relative to the repository root.
    static func text(_ path: String) throws -> String {
        String(decoding: try data(path), as: UTF8.self)
    }
}
