import DangolText
import Foundation

/// Runs the user's editor on a decrypted document until it is valid JSON
/// that fits the schema, the user gives up (saves an empty file), or the
/// editor fails. The plaintext lives only in a ScratchDirectory.
public enum EditSession {
    static let banner = "// "

    /// Returns the edited document, or nil when nothing changed or the user cancelled.
    public static func run(initial: [UInt8], fileName: String, allowDiskTmp: Bool,
                           validate: ([UInt8]) throws -> Customer) throws -> Customer? {
        let scratch = try ScratchDirectory(allowDisk: allowDiskTmp)
        defer { scratch.wipe() }
        let file = scratch.path + "/" + fileName
        var text = initial
        var message: Message?
        /// The text last put in front of the editor after a mistake.
        var shownText: [UInt8]?
        while true {
            var shown = message.map { Array(banner.utf8) + Array($0.description.utf8) + Array("\n".utf8) } ?? []
            if message != nil {
                shown += Array((banner + Catalogue.text("edit.fix_or_cancel") + "\n\n").utf8)
            }
            shown += text
            try writePrivate(file, shown)
            try runEditor(on: file)
            let saved = Array(FileManager.default.contents(atPath: file) ?? Data())
            text = stripBanner(saved)
            if text.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }) { return nil }
            if text == initial { return nil }
            if let problem = message, text == shownText {
                // The editor handed back the invalid text it was given (an
                // editor that cannot start in this terminal, :q without a
                // change): opening it again would loop forever.
                guard try editAgain(problem: problem.description) else { return nil }
                continue
            }
            shownText = text
            do {
                return try validate(text)
            } catch let f as ValidationFailure {
                message = f.message
            }
        }
    }

    /// After an unchanged invalid text: on a terminal the person chooses to
    /// edit again or cancel; otherwise (a script, an editor that exits at
    /// once) it stops with the schema's exit code and nothing saved.
    static func editAgain(problem: String) throws -> Bool {
        guard isatty(0) == 1, let terminal = Terminal.controlling() else {
            throw VaultError.invalidInput(Message("edit.unchanged", ["problem": problem]))
        }
        let asker = LineEditor(terminal)
        asker.tell(Catalogue.text("edit.unchanged_ask", ["problem": problem]))
        while true {
            guard let answer = try asker.ask(Catalogue.text("edit.again_or_cancel")) else { return false }
            switch answer.trimmingCharacters(in: .whitespaces).lowercased() {
            case "", "e", "edit", "편집", "ㄷ": return true
            case "c", "cancel", "n", "취소", "ㅊ": return false
            default: continue
            }
        }
    }

    /// Drops the lines dangol put on top (they start with "// ") and the
    /// blank line after them.
    static func stripBanner(_ bytes: [UInt8]) -> [UInt8] {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)[...]
        var dropped = false
        while let first = lines.first, first.starts(with: Array(banner.utf8)) {
            lines = lines.dropFirst()
            dropped = true
        }
        if dropped, lines.first?.isEmpty == true { lines = lines.dropFirst() }
        return Array(lines.joined(separator: [0x0A]))
    }

    static func writePrivate(_ path: String, _ bytes: [UInt8]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw VaultError.io(Message("file.cannot_write", ["path": path, "detail": String(cString: strerror(errno))]))
        }
        defer { close(fd) }
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    /// $VISUAL, else $EDITOR, else vi; vim and neovim without swap, backup,
    /// undo or viminfo files, so no copy of the plaintext outlives the edit.
    static func editorArguments(_ editor: String) -> [String] {
        let base = (editor.split(separator: " ").first.map(String.init) ?? editor)
        let name = (base as NSString).lastPathComponent
        let quiet = "set nobackup nowritebackup noundofile noswapfile"
        switch name {
        case "vim", "vi", "vim.basic", "vim.tiny", "gvim", "rvim":
            return ["-n", "-i", "NONE", "--cmd", quiet + " viminfo="]
        case "nvim":
            return ["-n", "-i", "NONE", "--cmd", quiet + " shada="]
        case "nano", "rnano":
            // Without the user's nanorc: a `set backup` with a `backupdir`
            // there would put a copy on the disk, `positionlog` a file name.
            return ["--nohelp", "--ignorercfiles"]
        default:
            return []
        }
    }

    static func runEditor(on file: String) throws {
        let env = ProcessInfo.processInfo.environment
        let editor = [env["VISUAL"], env["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", editor + " \"$@\"", "dangol-editor"] + editorArguments(editor) + [file]
        // The editor never sees a passphrase.
        p.environment = env.filter { !$0.key.hasPrefix("DANGOL_PASSPHRASE") && !$0.key.hasPrefix("DANGOL_NEW_PASSPHRASE")
            && !$0.key.hasPrefix("DANGOL_RECOVERY") }
        signal(SIGINT, SIG_IGN)
        signal(SIGQUIT, SIG_IGN)
        defer {
            signal(SIGINT, SIG_DFL)
            signal(SIGQUIT, SIG_DFL)
            ScratchCleanup.child = 0
        }
        do { try p.run() } catch {
            throw VaultError.usage(Message("edit.cannot_start", ["editor": editor], parts: ["detail": .of(error)]))
        }
        ScratchCleanup.child = p.processIdentifier
        p.waitUntilExit()
        guard p.terminationReason == .exit, p.terminationStatus == 0 else {
            throw VaultError.io(
                p.terminationReason == .exit
                    ? Message("edit.editor_failed_status", ["status": arg(p.terminationStatus)])
                    : Message("edit.editor_failed_signal", ["signal": arg(p.terminationStatus)]))
        }
    }
}

extension Vault {
    /// `dangol edit`: the record in the editor, saved as one commit if changed.
    /// Returns false when nothing changed.
    public func edit(_ id: RecordID, allowDiskTmp: Bool) throws -> Bool {
        let before = try read(id)
        // The editor reveals the record: logged before it opens.
        try audit("edit-read", records: [id])
        guard let after = try EditSession.run(initial: try forEditing(before).encoded(), fileName: "\(id.short).json",
                                              allowDiskTmp: allowDiskTmp,
                                              validate: { try Schema.decode(unmaskEdited($0, original: before),
                                                                            extraFields: extraFields) })
        else { return false }
        let made = try change(operation: "edit") { tx in
            guard try tx.read(id) == before else {
                throw VaultError.conflict(Message("edit.changed_meanwhile", ["id": id.short]))

            }
            try tx.put(after, id: id)
        }
        return made != nil
    }

    /// `dangol add` with no flags: the vault's templates/customer.json in the
    /// editor. Returns the new id, or nil when the user cancelled.
    public func addInEditor(allowDiskTmp: Bool) throws -> RecordID? {
        let template = try vaultFile("templates/customer.json") ?? Array("{\n  \"name\": \"\",\n  \"phone\": \"\"\n}\n".utf8)
        guard let customer = try EditSession.run(initial: template, fileName: "new-customer.json",
                                                 allowDiskTmp: allowDiskTmp,
                                                 validate: { try Schema.decode($0, extraFields: extraFields) })
        else { return nil }
        return try add(customer)
    }
}
