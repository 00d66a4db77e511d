/// A key slot. Version 1 wraps the vault key under a key derived from a
/// passphrase or the recovery code; the recovery slot still is one. Version 2
/// is a person's: their X25519 secret key wrapped under their passphrase,
/// and the vault key sealed to their public key (KeySlotV2.swift), so that
/// the owner can give everyone a new vault key without their passphrases.
/// The byte formats are in SECURITY.md.
public struct KeySlot: Equatable, Sendable {
    public static let magic: [UInt8] = Array("DGKS".utf8)
    public static let version: UInt8 = 1
    public static let maxNameBytes = 256

    public enum Kind: UInt8, Sendable { case person = 1, recovery = 2 }
    public enum Role: UInt8, Sendable { case none = 0, owner = 1, staff = 2 }

    /// An owner whose sealed vault keys this slot accepts (version 2).
    public struct Trusted: Equatable, Sendable {
        public var slotID: [UInt8]
        public var publicKey: [UInt8]

        public init(slotID: [UInt8], publicKey: [UInt8]) {
            self.slotID = slotID
            self.publicKey = publicKey
        }
    }

    public var format: UInt8 = KeySlot.version
    public var kind: Kind
    public var role: Role
    public var name: String
    public var parameters: KDFParameters
    public var salt: [UInt8]
    public var nonce: [UInt8]
    /// Version 1: the vault key, encrypted then its tag. Version 2: the
    /// person's X25519 secret key, encrypted then its tag.
    public var wrappedKey: [UInt8]
    // Version 2 only.
    public var publicKey: [UInt8] = []
    public var trusted: [Trusted] = []
    /// The slot id of the person whose secret key sealed `box`.
    public var sender: [UInt8] = []
    public var boxNonce: [UInt8] = []
    public var box: [UInt8] = []
    public var mac: [UInt8] = []

    /// Wraps `key` under `secret` (a passphrase or recovery code) in a
    /// version 1 slot. `slotID` is bound into the associated data so a slot
    /// file cannot be renamed.
    public static func create(
        kind: Kind, role: Role, name: String, secret: SecureBytes, parameters: KDFParameters,
        key: VaultKey, slotID: [UInt8]
    ) throws -> KeySlot {
        guard name.utf8.count <= maxNameBytes else {
            throw CryptoError.malformed("a person's name may be at most \(maxNameBytes) bytes")
        }
        var slot = KeySlot(kind: kind, role: role, name: name, parameters: parameters,
                           salt: Random.bytes(KDF.saltBytes), nonce: [], wrappedKey: [])
        let kek = try KDF.deriveKey(passphrase: secret, salt: slot.salt, parameters: parameters)
        let box = try key.secret.withUnsafeBytes { try AEAD.seal($0, ad: slot.header() + slotID, key: kek) }
        slot.nonce = Array(box[..<AEAD.nonceBytes])
        slot.wrappedKey = Array(box[AEAD.nonceBytes...])
        return slot
    }

    /// Unwraps the vault key; `.unauthenticated` means a wrong passphrase.
    /// A version 2 slot also opens the sealed vault key and checks its MAC.
    public func unwrap(secret: SecureBytes, slotID: [UInt8]) throws -> VaultKey {
        if format == 2 { return try openVaultKey(with: try openPersonKey(secret: secret, slotID: slotID), slotID: slotID) }
        try parameters.validate()
        let kek = try KDF.deriveKey(passphrase: secret, salt: salt, parameters: parameters)
        let key = try AEAD.decrypt(wrappedKey[...], nonce: nonce[...], ad: header() + slotID, key: kek)
        return try VaultKey(secret: key)
    }

    /// The bytes the passphrase's AEAD binds: everything before the nonce.
    func header() -> [UInt8] {
        var out = Self.magic
        out.append(format)
        out.append(kind.rawValue)
        out.append(role.rawValue)
        out.append(1)  // KDF: Argon2id v1.3
        out.appendLE(parameters.opsLimit)
        out.appendLE(parameters.memLimit)
        out += salt
        let nameBytes = Array(name.utf8)
        out.appendLE(UInt16(nameBytes.count))
        out += nameBytes
        if format == 2 {
            out += publicKey
            out.append(UInt8(trusted.count))
            for t in trusted { out += t.slotID + t.publicKey }
        }
        return out
    }

    public func encoded() -> [UInt8] {
        let base = header() + nonce + wrappedKey
        return format == 2 ? base + sender + boxNonce + box + mac : base
    }

    /// Parses a slot, checking everything that can be checked without the
    /// passphrase, including the KDF cap, so no work is spent on a bad slot.
    public static func decode(_ bytes: [UInt8]) throws -> KeySlot {
        var r = ByteReader(bytes, what: "key slot")
        guard Array(try r.take(4)) == magic else { throw CryptoError.badMagic(expected: "dangol key slot") }
        let v = try r.u8()
        guard v == 1 || v == 2 else { throw CryptoError.unknownVersion(kind: "key slot", version: v) }
        guard let kind = Kind(rawValue: try r.u8()) else { throw CryptoError.malformed("key slot has an unknown kind") }
        guard let role = Role(rawValue: try r.u8()) else { throw CryptoError.malformed("key slot has an unknown role") }
        guard try r.u8() == 1 else { throw CryptoError.malformed("key slot names an unknown key derivation function") }
        let params = KDFParameters(opsLimit: try r.le(UInt64.self), memLimit: try r.le(UInt64.self))
        try params.validate()
        let salt = Array(try r.take(KDF.saltBytes))
        let nameLength = Int(try r.le(UInt16.self))
        guard nameLength <= maxNameBytes else { throw CryptoError.malformed("key slot name is too long") }
        guard let name = String(validating: try r.take(nameLength), as: UTF8.self) else {
            throw CryptoError.malformed("key slot name is not UTF-8")
        }
        var slot = KeySlot(kind: kind, role: role, name: name, parameters: params, salt: salt, nonce: [], wrappedKey: [])
        slot.format = v
        if v == 2 {
            guard kind == .person, role != .none else { throw CryptoError.malformed("a version 2 key slot is a person's") }
            try slot.decodePublicPart(&r)
        }
        slot.nonce = Array(try r.take(AEAD.nonceBytes))
        slot.wrappedKey = Array(try r.take(VaultKey.byteCount + AEAD.tagBytes))
        if v == 2 { try slot.decodeSealedPart(&r) }
        guard r.remaining == 0 else {
            throw CryptoError.truncated(expected: "key slot of \(r.offset) bytes", got: bytes.count)
        }
        return slot
    }
}
