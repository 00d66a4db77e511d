import DangolText
import Foundation

/// Asks a person questions, one line per answer.
public protocol Asking: AnyObject {
    /// The answer typed after `prompt`, or nil when the person ended the
    /// input (Ctrl-D, or the end of what a script piped in).
    func ask(_ prompt: String) throws -> String?
    /// A line for the person: why an answer was refused, a note.
    func tell(_ line: String)
}

/// Ctrl-C at a question: whatever was being entered is dropped, unsaved.
public struct Interrupted: Error, CustomStringConvertible {
    public init() {}
    public var message: Message { Message("prompt.cancelled") }
    public var description: String { message.description }
}

/// A small line editor over the terminal's raw mode: arrows, Home/End,
/// Backspace/Delete, Ctrl-A/E/U/K/W, and Up/Down through the lines entered
/// before, kept in memory only (readline would keep a history file on
/// disk, and these lines hold names and phone numbers). Wide characters
/// (Hangul) take two columns; a long line scrolls sideways. On a terminal
/// that cannot move its cursor (TERM=dumb) it reads plain lines instead.
public final class LineEditor: Asking {
    let terminal: Terminal
    public var history = LineHistory()
    private let editing: Bool

    public init(_ terminal: Terminal) {
        self.terminal = terminal
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        editing = !term.isEmpty && term != "dumb"
    }

    /// The controlling terminal's editor, or a usage error saying how else
    /// to give the data when there is no terminal to ask on.
    public static func onTerminal() throws -> LineEditor {
        guard let t = Terminal.controlling() else { throw VaultError.usage(Message("prompt.no_terminal")) }
        return LineEditor(t)
    }

    public func ask(_ prompt: String) throws -> String? { try read(prompt: prompt, remember: false) }

    public func tell(_ line: String) { terminal.write(line + "\n") }

    /// One line; `remember` adds it to the history (the shell's commands,
    /// not the answers to its questions).
    public func read(prompt: String, remember: Bool) throws -> String? {
        guard editing else {
            terminal.write(prompt)
            return plainLine()
        }
        let line = try terminal.raw { try edit(prompt: prompt) }
        if remember, let line { history.add(line) }
        history.reset()
        return line
    }

    private func edit(prompt: String) throws -> String? {
        var line = LineBuffer()
        draw(prompt, line)
        while true {
            guard let key = Key.read(terminal.readByte) else {
                terminal.write("\r\n")
                return line.characters.isEmpty ? nil : line.text
            }
            switch key {
            case .enter:
                terminal.write("\r\n")
                return line.text
            case .interrupt:
                terminal.write("^C\r\n")
                throw Interrupted()
            case .endOfInput:
                if line.characters.isEmpty {
                    terminal.write("\r\n")
                    return nil
                }
                line.deleteForward()
            case .text(let s): line.insert(s)
            case .backspace: line.backspace()
            case .delete: line.deleteForward()
            case .left: line.left()
            case .right: line.right()
            case .home: line.home()
            case .end: line.end()
            case .wordLeft: line.wordLeft()
            case .wordRight: line.wordRight()
            case .killToStart: line.killToStart()
            case .killToEnd: line.killToEnd()
            case .killWordBack: line.killWordBack()
            case .up: if let older = history.up(from: line.text) { line.replace(with: older) }
            case .down: if let newer = history.down() { line.replace(with: newer) }
            case .clearScreen: terminal.write("\u{1B}[H\u{1B}[2J")
            case .ignored: continue
            }
            draw(prompt, line)
        }
    }

    /// Redraws the prompt and the visible part of the line on one row and
    /// puts the cursor where it belongs.
    private func draw(_ prompt: String, _ line: LineBuffer) {
        let (visible, column) = line.view(columns: max(terminal.columns - TextWidth.columns(prompt), 8))
        var out = "\r" + prompt + visible + "\u{1B}[K"
        let back = TextWidth.columns(visible) - column
        if back > 0 { out += "\u{1B}[\(back)D" }
        terminal.write(out)
    }

    /// A line read as the terminal delivers it (its own echo and erase).
    private func plainLine() -> String? {
        var bytes = [UInt8]()
        while let b = terminal.readByte() {
            if b == 0x0A { return String(decoding: bytes, as: UTF8.self) }
            if b != 0x0D { bytes.append(b) }
        }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }
}

/// Answers read from a stream that is not a terminal (a script piping into
/// `dangol shell`): no prompts are drawn, refusals go to standard error.
public final class PipedAnswers: Asking {
    public init() {}

    public func ask(_ prompt: String) throws -> String? { readLine(strippingNewline: true) }

    public func tell(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
}
