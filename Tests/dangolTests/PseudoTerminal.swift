import Foundation
import XCTest

/// A pseudo-terminal the tests type into, as a person at the counter would.
/// dangol runs in a session of its own whose controlling terminal is the
/// pty (util-linux `setsid --ctty`), so it finds /dev/tty there; each answer
/// is sent only once its question is on the screen.
final class PseudoTerminal {
    let master: Int32
    let process: Process
    private var output = [UInt8]()
    private var seen = 0
    private var ended = false

    init(_ s: Sandbox, _ args: [String], env extra: [String: String] = [:]) throws {
        // posix_openpt and friends are not visible to Swift, so the pty is
        // opened as they open it on Linux: /dev/ptmx, unlock, then its number.
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard master >= 0, ioctl(master, Self.TIOCSPTLCK, &unlock) == 0, ioctl(master, Self.TIOCGPTN, &number) == 0 else {
            throw NSError(domain: "/dev/ptmx", code: Int(errno))
        }
        let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw NSError(domain: "open pty", code: Int(errno)) }
        var size = winsize(ws_row: 50, ws_col: 160, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(slave, UInt(TIOCSWINSZ), &size)
        let end = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        process.arguments = ["--ctty", "--wait", Sandbox.binary] + args
        process.environment = s.env.merging(["TERM": "xterm"]) { $1 }.merging(extra) { $1 }
        process.standardInput = end
        process.standardOutput = end
        process.standardError = end
        try process.run()
        // Only dangol holds the pty's far end now: its exit ends our reads.
        try end.close()
    }

    deinit {
        if process.isRunning { process.terminate() }
        close(master)
    }

    /// Everything dangol wrote to the terminal so far, as text.
    var screen: String { String(decoding: output, as: UTF8.self) }

    /// Reads until `text` appears after what earlier expectations matched.
    func expect(_ text: String, timeout: TimeInterval = 120, file: StaticString = #filePath, line: UInt = #line) {
        let needle = Array(text.utf8)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let r = find(needle, from: seen) {
                seen = r
                return
            }
            guard pump(until: deadline) else { break }
        }
        if let r = find(needle, from: seen) {
            seen = r
            return
        }
        XCTFail("never saw \"\(text)\" on the terminal; it shows:\n\(String(decoding: output[seen...], as: UTF8.self))",
                file: file, line: line)
    }

    /// Types a line and presses Enter.
    func type(_ line: String) { send(Array(line.utf8) + [0x0D]) }

    /// Sends keys as they are (arrows, Ctrl-C).
    func send(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { _ = write(master, $0.baseAddress, $0.count) }
    }

    // _IOW('T', 0x31, int) and _IOR('T', 0x30, unsigned int), as the
    // kernel's generic ioctl encoding (x86_64, arm64) spells them.
    static let TIOCSPTLCK: UInt = 0x4004_5431
    static let TIOCGPTN: UInt = 0x8004_5430

    static let up: [UInt8] = [0x1B, 0x5B, 0x41]
    static let left: [UInt8] = [0x1B, 0x5B, 0x44]
    static let ctrlC: [UInt8] = [0x03]

    /// Waits for dangol to end; its exit code.
    func finish(timeout: TimeInterval = 120) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while !ended, pump(until: deadline) {}
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Reads what is there (waiting up to 0.2 s); false when dangol has gone.
    private func pump(until deadline: Date) -> Bool {
        guard !ended, Date() < deadline else { return false }
        var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 200) > 0 else { return true }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = read(master, &buffer, buffer.count)
        if n <= 0 {
            ended = true
            return false
        }
        output += buffer[..<n]
        return true
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, output.count - start >= needle.count else { return nil }
        for i in start...(output.count - needle.count) where output[i] == needle[0] {
            if Array(output[i..<(i + needle.count)]) == needle { return i + needle.count }
        }
        return nil
    }
}
