// Maintenance.Alarm.

/// A cluster-wide alarm a member can raise (etcdserverpb.AlarmType).
public enum AlarmType: Int32, Sendable, Equatable, CaseIterable {
    /// No alarm; in a GET request it means "every alarm". (`NONE`)
    case none = 0
    /// The backend reached its space quota; writes are refused. (`NOSPACE`)
    case noSpace = 1
    /// A member's data disagrees with the others' (hash check failed). (`CORRUPT`)
    case corrupt = 2
}

/// Lists, raises or clears alarms.
///
/// Wire: `etcdserverpb.AlarmRequest`.
public struct AlarmRequest: Sendable, Equatable {
    /// What an `AlarmRequest` does with the alarm it names.
    public enum AlarmAction: Int32, Sendable, Equatable, CaseIterable {
        /// List active alarms. (`GET`)
        case get = 0
        /// Raise the alarm. (`ACTIVATE`)
        case activate = 1
        /// Clear the alarm. (`DEACTIVATE`)
        case deactivate = 2
    }

    /// What to do. (field 1)
    public var action: AlarmRequest.AlarmAction = .get
    /// The member the alarm concerns; 0 means every member. (field 2)
    public var memberID: UInt64 = 0
    /// The alarm; `.none` with `.get` lists all alarms. (field 3)
    public var alarm: AlarmType = .none

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        action: AlarmRequest.AlarmAction = .get,
        memberID: UInt64 = 0,
        alarm: AlarmType = .none
    ) {
        self.action = action
        self.memberID = memberID
        self.alarm = alarm
    }
}

/// One active alarm on one member.
///
/// Wire: `etcdserverpb.AlarmMember`.
public struct AlarmMember: Sendable, Equatable {
    /// The member with the alarm. (field 1)
    public var memberID: UInt64 = 0
    /// The alarm raised. (field 2)
    public var alarm: AlarmType = .none

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        memberID: UInt64 = 0,
        alarm: AlarmType = .none
    ) {
        self.memberID = memberID
        self.alarm = alarm
    }
}

/// Result of an `AlarmRequest`.
///
/// Wire: `etcdserverpb.AlarmResponse`.
public struct AlarmResponse: Sendable, Equatable {
    /// Cluster, member, revision and term as of this response. (field 1)
    public var header: ResponseHeader? = nil
    /// The alarms affected or listed. (field 2)
    public var alarms: [AlarmMember] = []

    /// Creates the message with every field at its proto3 default.
    public init() {}

    /// Creates the message; each argument defaults to its field's proto3 zero value.
    public init(
        header: ResponseHeader? = nil,
        alarms: [AlarmMember] = []
    ) {
        self.header = header
        self.alarms = alarms
    }
}
