import Foundation

/// Server-side SVG charts: geometry is computed here, the markup is in the templates, so every
/// label goes through mustache's HTML escaping like any other text.
///
/// Coordinates are in a fixed view box (``width`` × ``height``); the page scales the SVG to its
/// card's width (`width: 100%`, height from the view box's aspect), so charts fit a phone.
enum SVGChart {
    /// The view box's width and height.
    static let width = 480.0, height = 240.0

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

        var width = Int(SVGChart.width)
        var height = Int(SVGChart.height)
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

        /// A label on the x-axis (a month).
        struct Tick: Sendable {
            var x: String
            var label: String
        }

        /// A round value on the y-axis, with its grid line.
        struct Level: Sendable {
            var y: String
            var textY: String
            var label: String
        }

        var width = Int(SVGChart.width)
        var height = Int(SVGChart.height)
        var left: String
        var baseline: String
        var labelY: String
        var points: [Point]
        var polyline: String
        var ticks: [Tick]
        var levels: [Level]
        var empty: Bool
    }

    static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1"]

    /// Bars for `(label, value)` pairs, scaled to the largest value.
    static func bars(_ data: [(label: String, value: Double)]) -> Bars {
        let top = 24.0, bottom = 40.0, left = 8.0
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

    /// A line through `(label, value)` points in order, on a y-axis from 0 to a round value at or
    /// above the largest one, labelled at a few round steps (``levels(upTo:)``).
    static func line(_ data: [(label: String, value: Double)]) -> Line {
        let top = 16.0, bottom = 40.0, left = 44.0, right = 24.0
        let plot = height - top - bottom
        let (axisTop, steps) = levels(upTo: data.map(\.value).max() ?? 0)
        let step = data.count > 1 ? (width - left - right) / Double(data.count - 1) : 0
        let points = data.enumerated().map { index, item in
            Line.Point(
                x: f(left + step * Double(index) + (data.count == 1 ? (width - left - right) / 2 : 0)),
                y: f(top + plot - plot * max(item.value, 0) / axisTop), label: item.label, value: ReportValue.format(item.value))
        }
        let every = max(1, Int((Double(data.count) / 6).rounded(.up)))
        let ticks = points.enumerated().filter { $0.offset % every == 0 || $0.offset == points.count - 1 }.map {
            Line.Tick(x: $0.element.x, label: $0.element.label)
        }
        let levels = steps.map { value in
            let y = top + plot - plot * value / axisTop
            return Line.Level(y: f(y), textY: f(y + 4), label: ReportValue.format(value))
        }
        return Line(
            left: f(left), baseline: f(top + plot), labelY: f(height - bottom + 18), points: points,
            polyline: points.map { "\($0.x),\($0.y)" }.joined(separator: " "), ticks: ticks, levels: levels, empty: data.isEmpty)
    }

    /// The y-axis for values up to `maximum`: its top (a round value at or above `maximum`, at
    /// least 1) and the round values labelled on it, 0 included — 3 to 6 of them, a step of 1, 2,
    /// 2.5 or 5 times a power of ten (`levels(upTo: 83)` → top 100, labels 0, 25, 50, 75, 100).
    static func levels(upTo maximum: Double) -> (top: Double, values: [Double]) {
        let target = max(maximum, 1)
        let rough = target / 4
        let magnitude = pow(10, (log10(rough)).rounded(.down))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        let count = Int((target / step).rounded(.up))
        let top = step * Double(count)
        return (top, (0...count).map { step * Double($0) })
    }

    /// A coordinate with one decimal.
    static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
