/// The auth store's errors as etcd 3.4 sends them to clients: the gRPC code and text of each
/// `rpctypes.ErrGRPC…` value that etcd's `toGRPCErrorMap` maps an `auth.Err…` to. clientv3 and
/// etcdctl match on these texts, so each is byte-for-byte etcd's.
extension EtcdError {
    // MARK: Auth

    static let rootUserNotExist = EtcdError(.failedPrecondition, "etcdserver: root user does not exist")
    static let rootRoleNotExist = EtcdError(.failedPrecondition, "etcdserver: root user does not have root role")
    static let userAlreadyExist = EtcdError(.failedPrecondition, "etcdserver: user name already exists")
    static let userEmpty = EtcdError(.invalidArgument, "etcdserver: user name is empty")
    static let userNotFound = EtcdError(.failedPrecondition, "etcdserver: user name not found")
    static let roleAlreadyExist = EtcdError(.failedPrecondition, "etcdserver: role name already exists")
    static let roleNotFound = EtcdError(.failedPrecondition, "etcdserver: role name not found")
    static let roleEmpty = EtcdError(.invalidArgument, "etcdserver: role name is empty")
    static let authFailed = EtcdError(.invalidArgument, "etcdserver: authentication failed, invalid user ID or password")
    static let permissionDenied = EtcdError(.permissionDenied, "etcdserver: permission denied")
    static let roleNotGranted = EtcdError(.failedPrecondition, "etcdserver: role is not granted to the user")
    static let permissionNotGranted = EtcdError(.failedPrecondition, "etcdserver: permission is not granted to the role")
    static let authNotEnabled = EtcdError(.failedPrecondition, "etcdserver: authentication is not enabled")
    static let invalidAuthToken = EtcdError(.unauthenticated, "etcdserver: invalid auth token")
    static let invalidAuthMgmt = EtcdError(.invalidArgument, "etcdserver: invalid auth management")
    static let authOldRevision = EtcdError(.invalidArgument, "etcdserver: revision of auth store is old")
    /// UNKNOWN with the auth package's own text: etcd 3.4's error map has no entry for
    /// `auth.ErrNoPasswordUser`, so `togRPCError` sends it as UNKNOWN with `err.Error()`.
    static let noPasswordUser = EtcdError(.unknown, "auth: authentication failed, password was given for no password user")
}
