import Foundation
import Testing
import TributaryTestSupport

/// `--help` of every command of both executables, found by walking their SUBCOMMANDS lists:
/// each has an example, and no discussion is wrapped twice (hard-wrapped in the source, then
/// wrapped again by ArgumentParser, which leaves a stub line followed by the rest of the sentence).
@Suite("Help texts", .ownThreads)
struct HelpTextTests {
    /// The screen width the help is rendered for (ArgumentParser's default off a terminal).
    static let columns = "80"

    /// Every command path of `tool`, the root included, e.g. `["org", "import"]`.
    static func commands(_ tool: String, _ path: [String] = []) throws -> [[String]] {
        let help = try CLIRunner.runTool(name: tool, args: path + ["--help"], env: ["COLUMNS": columns]).stdout
        var found = [path]
        for name in subcommands(in: help) where name != "help" {
            found += try commands(tool, path + [name])
        }
        return found
    }

    /// The names in a help text's SUBCOMMANDS section (one per line, indented by two spaces).
    static func subcommands(in help: String) -> [String] {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("SUBCOMMANDS:") }) else { return [] }
        var names: [String] = []
        for line in lines[(start + 1)...] {
            if line.isEmpty { break }
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }
            if let name = line.split(separator: " ").first { names.append(String(name)) }
        }
        return names
    }

    /// Lines of the overview (abstract and discussion) that end a sentence too early: a short
    /// line followed by one that carries on at the margin — the mark of double wrapping — or an
    /// indented line (an example, a list item) too long for the screen, whose rest falls back
    /// to the margin.
    static func brokenLines(_ help: String) -> [String] {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let overview = lines.prefix { !$0.hasPrefix("USAGE:") }
        var broken: [String] = []
        for (line, next) in zip(overview, overview.dropFirst()) where !next.isEmpty && !next.hasPrefix(" ") {
            let text = line.trimmingCharacters(in: .whitespaces)
            let stub = !text.isEmpty && text.count < 40 && !text.hasSuffix(":")
            let spilled = line.hasPrefix("  ")
            if stub || spilled { broken.append("\(line)⏎\(next)") }
        }
        return broken
    }

    @Test("every command of both executables has an example and no double-wrapped line", arguments: ["tributary", "tributary-hub"])
    func help(tool: String) throws {
        let commands = try Self.commands(tool)
        #expect(commands.count > 10, "found \(commands)")
        for path in commands {
            let help = try CLIRunner.runTool(name: tool, args: path + ["--help"], env: ["COLUMNS": Self.columns])
            let name = ([tool] + path).joined(separator: " ")
            #expect(help.status == 0, "\(name)")
            // An example: a line of the overview that runs the command itself
            let overview = help.stdout.components(separatedBy: "USAGE:").first ?? ""
            #expect(overview.contains("Example"), "\(name) --help has no example")
            #expect(overview.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix(name) }, "\(name) --help shows no `\(name) …` line")
            #expect(Self.brokenLines(help.stdout).isEmpty, "\(name) --help is wrapped twice: \(Self.brokenLines(help.stdout))")
        }
    }
}
