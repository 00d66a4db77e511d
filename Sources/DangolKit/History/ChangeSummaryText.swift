import DangolText

/// A summary in words, in whichever language it is read: "a8d13cd9: phone
/// changed, visit added" or "a8d13cd9: 전화번호 변경, 방문 1건 추가".
extension ChangeSummary {
    /// The order fields are named in; fields the owner added come after,
    /// by name.
    static let fieldOrder = ["name", "phone", "email", "birthday", "note", "allergies", "visits", "consents"]

    public var message: Message {
        var parts = [Message]()
        if let event { parts.append(Self.message(event, about: about ?? [])) }
        if let records {
            parts.append(.list(records.map(\.message), separator: "; "))
        }
        if let many {
            parts.append(Message("summary.many", ["n": arg(many.changed), "added": arg(many.added)], count: many.changed))
        }
        if erased == true { parts.append(Message("summary.erased")) }
        if parts.isEmpty { parts.append(Message("summary.no_change")) }
        let body = Message.list(parts, separator: "; ")
        guard let restoredFrom else { return body }
        return Message("summary.restored_from", ["commit": restoredFrom], parts: ["rest": body])
    }

    static func message(_ event: Event, about: [String]) -> Message {
        switch event {
        case .settingsChanged:
            return Message("summary.event.settings_changed", ["settings": about.joined(separator: ", ")])
        case .accessLog:
            return Message("summary.event.access_log", ["action": about.joined(separator: ", ")])
        case .personAdded:
            return Message("summary.event.person_added", parts: ["role": Message("role.\(about.first ?? "staff")")])
        case .formatUpgraded:
            return Message("summary.event.format_upgraded", ["format": about.first ?? "?"])
        default:
            return Message("summary.event.\(event.rawValue)")
        }
    }
}

extension ChangeSummary.Record {
    public var message: Message {
        var what = [Message]()
        switch customer {
        case .added?: what.append(Message("summary.new_customer"))
        case .removed?: what.append(Message("summary.customer_removed"))
        case nil:
            let fields = self.fields ?? [:]
            let known = ChangeSummary.fieldOrder.filter { fields[$0] != nil && $0 != "visits" && $0 != "consents" }
            for name in known { what.append(Self.field(name, fields[name]!)) }  // filtered on presence above
            if let n = visitsAdded { what.append(Message("summary.visits_added", ["n": arg(n)], count: n)) }
            for name in ["visits", "consents"] where fields[name] != nil { what.append(Self.field(name, fields[name]!)) }
            let extra = fields.keys.filter { !ChangeSummary.fieldOrder.contains($0) }.sorted()
            for name in extra { what.append(Self.field(name, fields[name]!)) }  // a key of `fields`
            if what.isEmpty { what.append(Message("summary.no_change")) }
        }
        return Message("summary.record", ["id": id], parts: ["what": .list(what)])
    }

    /// "phone changed": the field's name in the reader's language, or as
    /// the owner named it for a field they added to the schema.
    static func field(_ name: String, _ change: ChangeSummary.Change) -> Message {
        let label = ChangeSummary.fieldOrder.contains(name) ? Message("field.\(name)") : .verbatim(name)
        return Message("summary.field.\(change.rawValue)", parts: ["field": label])
    }
}
