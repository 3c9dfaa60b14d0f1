import Foundation

/// RFC 4180 CSV: comma-separated cells, double quotes around cells holding commas, quotes or
/// line breaks, quotes doubled inside them; CRLF or LF line ends; a UTF-8 byte-order mark ignored.
enum CSVTable {
    struct Row: Equatable {
        /// The line the row starts on, 1-based, for messages.
        var line: Int
        var cells: [String]
    }

    struct ParseError: Error, Equatable {
        var line: Int
        var reason: String
    }

    static func parse(_ text: String) throws(ParseError) -> [Row] {
        var rows: [Row] = []
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var cellWasQuoted = false
        var line = 1
        var rowLine = 1
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var index = 0
        func endRow() {
            cells.append(cell)
            rows.append(Row(line: rowLine, cells: cells))
            cells = []
            cell = ""
            cellWasQuoted = false
        }
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if quoted {
                if scalar == "\"" {
                    if index < scalars.count, scalars[index] == "\"" {
                        cell.unicodeScalars.append("\"")
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    cell.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                guard cell.isEmpty, !cellWasQuoted else {
                    throw ParseError(line: line, reason: "a quote inside an unquoted cell")
                }
                quoted = true
                cellWasQuoted = true
            case ",":
                cells.append(cell)
                cell = ""
                cellWasQuoted = false
            case "\r" where index < scalars.count && scalars[index] == "\n":
                break
            case "\n", "\r":
                endRow()
                line += 1
                rowLine = line
            default:
                if cellWasQuoted { throw ParseError(line: line, reason: "text after a quoted cell's closing quote") }
                cell.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw ParseError(line: rowLine, reason: "a quoted cell is never closed") }
        if !cell.isEmpty || !cells.isEmpty || cellWasQuoted { endRow() }
        return rows
    }

    /// One CSV line (without its line end) with cells quoted where needed.
    static func line(_ cells: [String]) -> String {
        cells.map { cell in
            guard cell.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
            return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",")
    }
}
