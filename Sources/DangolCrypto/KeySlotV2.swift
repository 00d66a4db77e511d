/// Version 2 person slots. The passphrase (Argon2id, as in version 1)
/// unwraps the person's X25519 secret key; the vault key is sealed to their
/// public key with crypto_box by a sender: the person themselves, or an owner
/// the slot trusts (its `trusted` list, bound under the passphrase). A MAC
/// under the vault key's people subkey covers the whole slot, so a public
/// key, a list or a sealed key put in by someone without the vault key is
/// found. An owner's rekey seals the new vault key to each person's public
/// key with the owner's own secret key: no passphrase of theirs is needed.
extension KeySlot {
    /// At most this many owners are trusted by one slot.
    public static let maxTrusted = 8

    /// A version 2 slot for a person: their key pair (a new one unless
    /// given) wrapped under `secret`, the vault key sealed to them by
    /// themselves, the owners in `trusted` accepted as future senders.
    public static func createPerson(
        role: Role, name: String, secret: SecureBytes, parameters: KDFParameters, key: VaultKey, slotID: [UInt8],
        trusted: [Trusted], personKey: PersonKey? = nil
    ) throws -> KeySlot {
        guard name.utf8.count <= maxNameBytes else {
            throw CryptoError.malformed("a person's name may be at most \(maxNameBytes) bytes")
        }
        guard role != .none, trusted.count <= maxTrusted, slotID.count == 8 else {
            throw CryptoError.malformed("a person's slot needs a role, an 8-byte id and at most \(maxTrusted) trusted owners")
        }
        let pair = try personKey ?? PersonKey.generate()
        var slot = KeySlot(kind: .person, role: role, name: name, parameters: parameters,
                           salt: Random.bytes(KDF.saltBytes), nonce: [], wrappedKey: [])
        slot.format = 2
        slot.publicKey = pair.publicKey
        slot.trusted = trusted.filter { $0.slotID != slotID }
        let kek = try KDF.deriveKey(passphrase: secret, salt: slot.salt, parameters: parameters)
        let wrapped = try pair.secret.withUnsafeBytes { try AEAD.seal($0, ad: slot.header() + slotID, key: kek) }
        slot.nonce = Array(wrapped[..<AEAD.nonceBytes])
        slot.wrappedKey = Array(wrapped[AEAD.nonceBytes...])
        return try slot.resealed(key, from: slotID, sender: pair, slotID: slotID)
    }

    /// The person's key pair; `.unauthenticated` means a wrong passphrase.
    public func openPersonKey(secret: SecureBytes, slotID: [UInt8]) throws -> PersonKey {
        guard format == 2 else { throw CryptoError.malformed("a version 1 slot holds no key pair") }
        try parameters.validate()
        let kek = try KDF.deriveKey(passphrase: secret, salt: salt, parameters: parameters)
        let sk = try AEAD.decrypt(wrappedKey[...], nonce: nonce[...], ad: header() + slotID, key: kek)
        let pair = try PersonKey.from(secret: sk)
        guard ConstantTime.equal(pair.publicKey, publicKey) else {
            throw CryptoError.malformed("the key slot's public key is not its secret key's")
        }
        return pair
    }

    /// Opens the sealed vault key with the person's key pair: only a box
    /// from themselves or from an owner the slot trusts opens, and the slot's
    /// MAC must then verify under the key it gave.
    public func openVaultKey(with pair: PersonKey, slotID: [UInt8]) throws -> VaultKey {
        guard format == 2 else { throw CryptoError.malformed("a version 1 slot holds no sealed vault key") }
        let senderKey: [UInt8]
        if sender == slotID {
            senderKey = publicKey
        } else if let t = trusted.first(where: { $0.slotID == sender }) {
            senderKey = t.publicKey
        } else {
            throw CryptoError.malformed(
                "the vault key in this slot was sealed by \(hex(sender)), whom the slot does not trust")
        }
        let key: VaultKey
        do { key = try PublicKeyBox.open(box, nonce: boxNonce, from: senderKey, by: pair) } catch CryptoError.unauthenticated {
            throw CryptoError.malformed("the sealed vault key in this slot does not open: it was changed")
        }
        guard verifies(under: key, slotID: slotID) else {
            throw CryptoError.malformed("the key slot was changed after it was sealed (its MAC does not verify)")
        }
        return key
    }

    /// The slot with `key` sealed to it anew by `sender` (the slot's own id
    /// and key pair, or a trusted owner's) and its MAC under that key.
    public func resealed(_ key: VaultKey, from senderID: [UInt8], sender: PersonKey, slotID: [UInt8]) throws -> KeySlot {
        guard format == 2 else { throw CryptoError.malformed("a version 1 slot cannot be sealed to") }
        var slot = self
        let (n, b) = try PublicKeyBox.seal(key, to: publicKey, from: sender)
        slot.sender = senderID
        slot.boxNonce = n
        slot.box = b
        slot.mac = MAC.tag(slot.macInput(slotID), key: key, purpose: .people)
        return slot
    }

    /// Whether the slot's MAC verifies under `key`: it was written by someone
    /// who held that vault key. Version 1 slots have none: false.
    public func verifies(under key: VaultKey, slotID: [UInt8]) -> Bool {
        format == 2 && MAC.verify(mac, macInput(slotID), key: key, purpose: .people)
    }

    /// Whether `ownerID` may seal a vault key to this slot.
    public func trusts(_ ownerID: [UInt8], slotID: [UInt8]) -> Bool {
        format == 2 && (ownerID == slotID || trusted.contains { $0.slotID == ownerID })
    }

    func macInput(_ slotID: [UInt8]) -> [UInt8] {
        header() + nonce + wrappedKey + sender + boxNonce + box + slotID
    }

    mutating func decodePublicPart(_ r: inout ByteReader) throws {
        publicKey = Array(try r.take(PersonKey.byteCount))
        let count = Int(try r.u8())
        guard count <= Self.maxTrusted else { throw CryptoError.malformed("key slot trusts too many owners") }
        for _ in 0..<count {
            trusted.append(Trusted(slotID: Array(try r.take(8)), publicKey: Array(try r.take(PersonKey.byteCount))))
        }
    }

    mutating func decodeSealedPart(_ r: inout ByteReader) throws {
        sender = Array(try r.take(8))
        boxNonce = Array(try r.take(PublicKeyBox.nonceBytes))
        box = Array(try r.take(VaultKey.byteCount + PublicKeyBox.macBytes))
        mac = Array(try r.take(MAC.bytes))
    }
}
