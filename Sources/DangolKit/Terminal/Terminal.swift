import Foundation

/// The terminal a person answers on. Questions that ask for personal data
/// go here rather than into arguments: argv is readable by every user of
/// the machine (/proc/PID/cmdline) and shell history files keep it on disk.
public final class Terminal {
    let input: Int32
    let output: Int32
    private let owned: Bool

    /// The controlling terminal (/dev/tty), as the passphrase prompt uses it,
    /// so standard input and output stay free for scripts (`id=$(dangol add)`
    /// still asks its questions on the screen). Nil when there is none.
    public static func controlling() -> Terminal? {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        guard isatty(fd) == 1 else {
            close(fd)
            return nil
        }
        return Terminal(input: fd, output: fd, owned: true)
    }

    /// Standard input and output, when both are a terminal (`dangol shell`
    /// typed into by a person rather than fed by a script).
    public static func standardStreams() -> Terminal? {
        guard isatty(0) == 1, isatty(1) == 1 else { return nil }
        return Terminal(input: 0, output: 1, owned: false)
    }

    private init(input: Int32, output: Int32, owned: Bool) {
        self.input = input
        self.output = output
        self.owned = owned
    }

    deinit { if owned { close(input) } }

    public func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Foundation.write(output, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            bytes = bytes.dropFirst(n)
        }
    }

    /// One byte of input; nil at the end of input.
    func readByte() -> UInt8? {
        var c: UInt8 = 0
        while true {
            let n = Foundation.read(input, &c, 1)
            if n < 0 && errno == EINTR { continue }
            return n == 1 ? c : nil
        }
    }

    /// The width of the terminal in columns (80 when it does not say).
    var columns: Int {
        var size = winsize()
        guard ioctl(output, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// Runs `body` with the terminal in raw mode: every key reaches dangol
    /// as typed, without echo, so the line editor can draw the line itself.
    /// Output processing stays on ("\n" still starts a new line). Typeahead
    /// is kept (TCSADRAIN), unlike the passphrase prompt, which flushes it.
    func raw<T>(_ body: () throws -> T) rethrows -> T {
        var saved = termios()
        guard tcgetattr(input, &saved) == 0 else { return try body() }
        var raw = saved
        raw.c_iflag &= ~tcflag_t(BRKINT | ICRNL | INPCK | ISTRIP | IXON)
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | IEXTEN | ISIG)
        raw.c_cflag |= tcflag_t(CS8)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        TerminalGuard.arm(input, saved)
        tcsetattr(input, TCSADRAIN, &raw)
        defer {
            tcsetattr(input, TCSADRAIN, &saved)
            TerminalGuard.disarm()
        }
        return try body()
    }
}

/// Puts the terminal back as it was when dangol is stopped while it has
/// changed it (echo off for a passphrase, raw mode for the line editor),
/// whether by a signal or by an exit from another thread (the shell's idle
/// lock): a shell left without echo is the user's problem to untangle.
enum TerminalGuard {
    nonisolated(unsafe) static var fd: Int32 = -1
    nonisolated(unsafe) static var saved = termios()
    nonisolated(unsafe) private static var exitHook = false
    static let signals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    static func arm(_ tty: Int32, _ state: termios) {
        fd = tty
        saved = state
        if !exitHook {
            exitHook = true
            atexit { if TerminalGuard.fd >= 0 { tcsetattr(TerminalGuard.fd, TCSANOW, &TerminalGuard.saved) } }
        }
        for sig in signals {
            signal(sig) { sig in
                if TerminalGuard.fd >= 0 { tcsetattr(TerminalGuard.fd, TCSANOW, &TerminalGuard.saved) }
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
    }

    static func disarm() {
        fd = -1
        for sig in signals { signal(sig, SIG_DFL) }
    }
}
