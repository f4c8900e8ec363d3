import Foundation

/// Server-side SVG charts: geometry is computed here, the markup is in the templates, so every
/// label goes through mustache's HTML escaping like any other text.
enum SVGChart {
    /// A vertical bar chart's view model.
    struct Bars: Sendable {
        struct Bar: Sendable {
            var x: String
            var y: String
            var width: String
            var height: String
            var labelX: String
            var valueY: String
            var label: String
            var value: String
            var colour: String
        }

        var width = 560
        var height = 260
        var baseline: String
        var labelY: String
        var bars: [Bar]
        var empty: Bool
    }

    /// A line chart's view model.
    struct Line: Sendable {
        struct Point: Sendable {
            var x: String
            var y: String
            var label: String
            var value: String
        }

        struct Tick: Sendable {
            var x: String
            var label: String
        }

        var width = 560
        var height = 260
        var baseline: String
        var labelY: String
        var points: [Point]
        var polyline: String
        var ticks: [Tick]
        var maxLabel: String
        var empty: Bool
    }

    static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1"]

    /// Bars for `(label, value)` pairs, scaled to the largest value.
    static func bars(_ data: [(label: String, value: Double)]) -> Bars {
        let width = 560.0, height = 260.0, top = 24.0, bottom = 40.0, left = 16.0
        let plot = height - top - bottom
        let maximum = max(data.map(\.value).max() ?? 0, 1)
        let slot = (width - 2 * left) / Double(max(data.count, 1))
        let barWidth = slot * 0.6
        let bars = data.enumerated().map { index, item in
            let barHeight = plot * item.value / maximum
            let x = left + slot * Double(index) + (slot - barWidth) / 2
            return Bars.Bar(
                x: f(x), y: f(top + plot - barHeight), width: f(barWidth), height: f(barHeight), labelX: f(x + barWidth / 2),
                valueY: f(top + plot - barHeight - 6), label: item.label, value: ReportValue.format(item.value),
                colour: palette[index % palette.count])
        }
        return Bars(baseline: f(top + plot), labelY: f(height - bottom + 18), bars: bars, empty: data.allSatisfy { $0.value == 0 })
    }

    /// A line through `(label, value)` points in order, scaled from 0 to the largest value.
    static func line(_ data: [(label: String, value: Double)]) -> Line {
        let width = 560.0, height = 260.0, top = 24.0, bottom = 40.0, left = 48.0, right = 36.0
        let plot = height - top - bottom
        let maximum = max(data.map(\.value).max() ?? 0, 1)
        let step = data.count > 1 ? (width - left - right) / Double(data.count - 1) : 0
        let points = data.enumerated().map { index, item in
            Line.Point(
                x: f(left + step * Double(index) + (data.count == 1 ? (width - left - right) / 2 : 0)),
                y: f(top + plot - plot * max(item.value, 0) / maximum), label: item.label, value: ReportValue.format(item.value))
        }
        let every = max(1, Int((Double(data.count) / 6).rounded(.up)))
        let ticks = points.enumerated().filter { $0.offset % every == 0 || $0.offset == points.count - 1 }.map {
            Line.Tick(x: $0.element.x, label: $0.element.label)
        }
        return Line(
            baseline: f(top + plot), labelY: f(height - bottom + 18), points: points,
            polyline: points.map { "\($0.x),\($0.y)" }.joined(separator: " "), ticks: ticks, maxLabel: ReportValue.format(maximum),
            empty: data.isEmpty)
    }

    /// A coordinate with one decimal.
    static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
