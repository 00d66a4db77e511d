import DangolCrypto
import DangolText
import Foundation

/// Where a passphrase comes from, in restic's order and meaning: a file
/// (DANGOL_PASSPHRASE_FILE), a command's output (DANGOL_PASSPHRASE_COMMAND),
/// the variable itself (DANGOL_PASSPHRASE), else the terminal without echo.
/// Never an argument: argv is readable by every user of the machine.
public enum Passphrase {
    public struct Variables: Sendable {
        public let file: String
        public let command: String
        public let value: String

        public static let unlock = Variables(
            file: "DANGOL_PASSPHRASE_FILE", command: "DANGOL_PASSPHRASE_COMMAND", value: "DANGOL_PASSPHRASE")
        public static let new = Variables(
            file: "DANGOL_NEW_PASSPHRASE_FILE", command: "DANGOL_NEW_PASSPHRASE_COMMAND",
            value: "DANGOL_NEW_PASSPHRASE")
        public static let recovery = Variables(
            file: "DANGOL_RECOVERY_CODE_FILE", command: "DANGOL_RECOVERY_CODE_COMMAND", value: "DANGOL_RECOVERY_CODE")

        var all: [String] { [file, command, value] }
    }

    /// A passphrase from the environment's sources, else typed once.
    public static func read(_ vars: Variables = .unlock, prompt: String) throws -> SecureBytes {
        if let fromEnv = try fromEnvironment(vars) { return fromEnv }
        return try fromTerminal(prompt: prompt, missing: vars)
    }

    /// A new passphrase: from the environment's sources, else typed twice.
    public static func readNew(_ vars: Variables, prompt: String) throws -> SecureBytes {
        if let (fromEnv, source) = try fromEnvironmentNamed(vars) {
            try refuseLines(fromEnv, source: source)
            return fromEnv
        }
        let first = try fromTerminal(prompt: prompt, missing: vars)
        let second = try fromTerminal(prompt: Catalogue.text("passphrase.prompt.repeat"), missing: vars)
        guard first.constantTimeEquals(second) else { throw VaultError.usage(Message("passphrase.differ")) }
        return first
    }

    static func fromEnvironment(_ vars: Variables) throws -> SecureBytes? {
        try fromEnvironmentNamed(vars)?.passphrase
    }

    /// The passphrase from the first source that is set, and that source's name.
    static func fromEnvironmentNamed(_ vars: Variables) throws -> (passphrase: SecureBytes, source: String)? {
        let env = ProcessInfo.processInfo.environment
        if let path = env[vars.file], !path.isEmpty {
            guard var bytes = FileManager.default.contents(atPath: path).map(Array.init) else {
                throw VaultError.noPassphrase(Message("passphrase.file_unreadable", ["variable": vars.file]))
            }
            return (try finish(&bytes, source: vars.file), vars.file)
        }
        if let command = env[vars.command], !command.isEmpty {
            var bytes = try run(command, dropping: Variables.unlock.all + Variables.new.all + Variables.recovery.all,
                                source: vars.command)
            return (try finish(&bytes, source: vars.command), vars.command)
        }
        if let value = env[vars.value], !value.isEmpty {
            var bytes = Array(value.utf8)
            return (try finish(&bytes, source: vars.value), vars.value)
        }
        return nil
    }

    /// Strips one trailing newline (as restic does) and moves the bytes into
    /// guarded memory, wiping the ordinary copy.
    private static func finish(_ bytes: inout [UInt8], source: String) throws -> SecureBytes {
        if bytes.last == 0x0A { bytes.removeLast() }
        if bytes.last == 0x0D { bytes.removeLast() }
        guard !bytes.isEmpty else { throw VaultError.noPassphrase(Message("passphrase.source_empty", ["variable": source])) }
        return try SecureBytes(consuming: &bytes)
    }

    private static func run(_ command: String, dropping: [String], source: String) throws -> [UInt8] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        // The helper must not see any passphrase dangol may have in its environment.
        var env = ProcessInfo.processInfo.environment
        for name in dropping { env[name] = nil }
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        do { try p.run() } catch {
            throw VaultError.noPassphrase(Message("passphrase.cannot_run", ["variable": source], parts: ["detail": .of(error)]))
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw VaultError.noPassphrase(
                Message("passphrase.command_failed", ["variable": source, "status": arg(p.terminationStatus)]))
        }
        return Array(data)
    }

    /// Reads one line from /dev/tty with echo off, straight into guarded memory.
    static func fromTerminal(prompt: String, missing vars: Variables) throws -> SecureBytes {
        let tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard tty >= 0 else {
            throw VaultError.noPassphrase(Message("passphrase.none", ["variables": vars.all.joined(separator: ", ")]))
        }
        defer { close(tty) }
        _ = prompt.withCString { write(tty, $0, strlen($0)) }
        var saved = termios()
        let isTerminal = tcgetattr(tty, &saved) == 0
        if isTerminal {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            quiet.c_lflag |= tcflag_t(ECHONL)
            TerminalGuard.arm(tty, saved)
            tcsetattr(tty, TCSAFLUSH, &quiet)
        }
        defer {
            if isTerminal {
                tcsetattr(tty, TCSAFLUSH, &saved)
                TerminalGuard.disarm()
            }
        }
        let buffer = try SecureBytes(count: 1024)
        var length = 0
        try buffer.withUnsafeMutableBytes { buf in
            while true {
                var c: UInt8 = 0
                let n = Foundation.read(tty, &c, 1)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 || c == 0x0A { break }
                if c == 0x0D { continue }
                guard length < buf.count else { throw VaultError.usage(Message("passphrase.too_long")) }
                buf[length] = c
                length += 1
            }
        }
        guard length > 0 else { throw VaultError.noPassphrase(Message("passphrase.empty")) }

        let out = try SecureBytes(count: length)
        out.withUnsafeMutableBytes { dst in
            buffer.withUnsafeBytes { src in dst.baseAddress!.copyMemory(from: src.baseAddress!, byteCount: length) }
        }
        return out
    }
}
