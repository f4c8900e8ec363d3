import Foundation
import SyncModel
import Testing

/// `TerminalText`: what a station wrote reaches a terminal as text, never as control.
@Suite struct TerminalTextTests {
    @Test("control and bidirectional characters are shown escaped; everything else is left alone")
    func escapes() {
        #expect(TerminalText.escaped("林秀英 Lin") == "林秀英 Lin")
        #expect(TerminalText.escaped("\u{1B}]0;title\u{07}x") == #"\u{1B}]0;title\u{7}x"#)
        #expect(TerminalText.escaped("a\u{9B}2Jb\u{7F}") == #"a\u{9B}2Jb\u{7F}"#)
        #expect(TerminalText.escaped("\u{202E}txt.exe\u{2066}\u{2069}\u{200F}\u{061C}") == #"\u{202E}txt.exe\u{2066}\u{2069}\u{200F}\u{61C}"#)
        #expect(TerminalText.escaped("a\tb\r\nc") == #"a\tb\r\nc"#)
        #expect(TerminalText.escaped("a\nb", keepingNewlines: true) == "a\nb")
        // Emoji joiners and CJK punctuation are not controls
        #expect(TerminalText.escaped("👨‍👩‍👧 「留安」") == "👨‍👩‍👧 「留安」")
    }

    @Test("escaping twice changes nothing more: what it writes holds no character it escapes")
    func idempotent() {
        let hostile = "\u{1B}[31m红\u{1B}[0m\u{202E}\u{0}\u{85}\u{2028}"
        let once = TerminalText.escaped(hostile)
        #expect(!once.unicodeScalars.contains { TerminalText.needsEscape($0) })
        #expect(TerminalText.escaped(once) == once)
    }

    @Test("JSON keeps them as data: the same value once parsed, and nothing raw for a terminal")
    func jsonSafe() throws {
        let name = "王\u{202E}exe.txt\u{9B}\u{1B}"
        let encoded = String(decoding: try JSONEncoder().encode(["name": name]), as: UTF8.self)
        let safe = TerminalText.jsonSafe(encoded)
        #expect(!safe.unicodeScalars.contains { TerminalText.needsEscape($0, keepingNewlines: true) })
        #expect(safe.contains(#"\u202e"#) && safe.contains(#"\u009b"#))
        #expect(try JSONDecoder().decode([String: String].self, from: Data(safe.utf8)) == ["name": name])
    }
}
