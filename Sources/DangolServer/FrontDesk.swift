// DangolServer is the front desk: `dangol serve`, a page on loopback for
// the salon's everyday work, over the same vault operations as the command
// line. Every asset it serves is embedded in the binary.
import DangolKit
import DangolText
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// How `dangol serve` was asked to run.
public struct ServeOptions: Sendable {
    public var vaultPath: String
    /// 0 picks a free port.
    public var port: Int
    public var openBrowser: Bool
    public var idle: TimeInterval

    public init(vaultPath: String, port: Int, openBrowser: Bool, idle: TimeInterval) {
        self.vaultPath = vaultPath
        self.port = port
        self.openBrowser = openBrowser
        self.idle = idle
    }
}

public enum FrontDesk {
    /// Serves until the process is told to stop (Ctrl-C, SIGTERM), which
    /// locks first. `say` prints the link and notes for the person.
    public static func serve(_ options: ServeOptions, say: @escaping @Sendable (String) -> Void) throws -> Never {
        // Fails now, before anything listens, when the folder is no vault.
        _ = try LockedVault.open(at: options.vaultPath)
        let desk = Desk(vaultPath: options.vaultPath, idle: options.idle)
        let done = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        Task {
            do { try await run(desk, options, say: say) } catch { failure.error = error }
            done.signal()
        }
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                Task {
                    try? await desk.perform { $0.lock() }
                    LaunchFile.remove()
                    exit(0)
                }
            }
            source.resume()
            Signals.keep.append(source)
        }
        done.wait()
        LaunchFile.remove()
        if let e = failure.error { throw e }
        exit(0)
    }

    private static func run(_ desk: Desk, _ options: ServeOptions, say: @escaping @Sendable (String) -> Void) async throws {
        var logger = Logger(label: "dangol-serve")
        logger.logLevel = .critical
        let router = Routes.router(desk)
        let bound = AsyncStream<Int>.makeStream()
        let v4 = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: options.port)),
            onServerRunning: { channel in bound.continuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await v4.run() }
            var ports = bound.stream.makeAsyncIterator()
            guard let port = await ports.next(), port > 0 else { throw VaultError.io(Message("web.serve.no_listen")) }
            desk.answer(hosts: ["127.0.0.1:\(port)", "localhost:\(port)"])
            // The same port on ::1, for a browser that tries IPv6 first. A
            // machine without IPv6 loopback serves on 127.0.0.1 alone.
            let v6 = Application(
                router: Routes.router(desk), configuration: .init(address: .hostname("::1", port: port)),
                onServerRunning: { _ in desk.answer(hosts: ["[::1]:\(port)"]) }, logger: logger)
            group.addTask { try? await v6.run() }
            let url = "http://127.0.0.1:\(port)/?t=\(desk.link)"
            try await desk.perform { $0.startIdleClock() }
            say(Catalogue.text("web.serve.open", ["url": url]))
            say(Catalogue.text("web.serve.stop"))
            if options.openBrowser { Browser.open(url) }
            try await group.next()
            group.cancelAll()
        }
    }
}

private final class FailureBox: @unchecked Sendable { var error: Error? }

private enum Signals { nonisolated(unsafe) static var keep: [DispatchSourceSignal] = [] }

/// Opens the link in the desktop's browser, when there is a desktop. The
/// link carries the one-time token, and a program's arguments are readable
/// by every user of the machine (/proc/PID/cmdline): so the browser is
/// given a file of this user's alone that redirects to the link, as
/// Jupyter does, never the link itself.
enum Browser {
    static func open(_ url: String) {
        let env = ProcessInfo.processInfo.environment
        guard (env["DISPLAY"] ?? "").isEmpty == false || (env["WAYLAND_DISPLAY"] ?? "").isEmpty == false,
            let file = LaunchFile.write(url)
        else { return }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["xdg-open", file]
        p.environment = env.filter { !$0.key.hasPrefix("DANGOL_") }
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try? p.run()
    }
}

/// The redirect file: in $XDG_RUNTIME_DIR (the user's own tmpfs), else in
/// a fresh 0700 directory under /tmp; removed once the link is used or the
/// server stops. It holds the one-time token, never customer data.
enum LaunchFile {
    nonisolated(unsafe) static var path: String?

    static func write(_ url: String) -> String? {
        let run = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"] ?? ""
        var dir = run
        if run.isEmpty || access(run, W_OK) != 0 {
            var template = Array("/tmp/dangol-serve-XXXXXX".utf8CString)
            guard let made = mkdtemp(&template) else { return nil }
            dir = String(cString: made)
        }
        let file = dir + "/dangol-\(Token.make().prefix(12)).html"
        let html = "<!doctype html><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url=\(url)\">"
        guard FileManager.default.createFile(atPath: file, contents: Data(html.utf8), attributes: [.posixPermissions: 0o600])
        else { return nil }
        path = file
        return file
    }

    static func remove() {
        guard let p = path else { return }
        unlink(p)
        if p.hasPrefix("/tmp/dangol-serve-") { rmdir((p as NSString).deletingLastPathComponent) }
        path = nil
    }
}
