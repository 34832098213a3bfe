// The Raft module, for a newcomer (what etcd's raft/doc.go is to etcd). No code in this file.
//
// WHAT IT IS
//   A pure state machine in the shape of etcd-io/raft: no I/O, no clock, no threads, no random
//   numbers but those drawn from `Config.seed`. The caller owns time, disks and sockets.
//
// THE LOOP THE CALLER RUNS (EtcdServer's raft thread; SimulatedCluster in the tests)
//   node.tick()                 every tick (etcd: 100 ms)
//   try node.step(message)      for every message from a peer
//   try node.propose(data)      for every write; `proposeConfChange` for membership
//   node.readIndex(context:)    for every linearizable read (context: a unique request ID)
//   while node.hasReady {
//       let ready = node.ready()
//       persist ready.snapshot (if set: storage.applySnapshot, before entries),
//               ready.hardState and ready.entries (fsync if ready.mustSync)   -- WAL, snap dir
//       send ready.messages (a MsgSnap with a fresh snapshot of the applied state, see
//               Ready.messages); report each MsgSnap's outcome (reportSnapshot)
//               and peers that could not be reached (reportUnreachable)        -- transport
//       apply ready.snapshot (if set) then ready.committedEntries
//               (conf changes through applyConfChange)                         -- applier
//       serve each of ready.readStates once applied >= its index              -- reads
//       node.advance(ready)
//   }
//   every so often: storage.createSnapshot(index: applied, ...), storage.compact(to: older)
//   node.transferLeader(to:)    hands leadership over (maintenance, rolling restarts)
//
// READING ORDER
//   raftpb/            the wire types (etcd's raft.proto, byte-exact codecs)
//   RaftStorage.swift  what raft reads from stable storage; MemoryStorage.swift keeps it in memory
//                      (snapshot, compaction, restart from snapshot + later entries)
//   UnstableLog.swift  entries (and a leader's snapshot) accepted but not yet persisted
//   RaftLog.swift      storage + unstable as one log; committed/applied invariants; log matching
//   Quorum/, Tracker/  majority and joint (old && new) counting; the configuration (voters,
//                      learners, learners-next, auto-leave); per-follower Progress
//                      (probe/replicate/snapshot) and Inflights
//   Confchange/        the Changer: simple changes, entering and leaving a joint configuration,
//                      restoring one from a ConfState, with etcd's refusals
//   Raft.swift         roles, terms, votes, timers (becomeFollower/Candidate/PreCandidate/Leader)
//   Raft+Step.swift    the term rules every message passes, then the role's step function
//   Raft+Replication.swift   appends, heartbeats, reject hints, commit by quorum of this term
//   Raft+Snapshot.swift      MsgSnap to a follower whose entries were compacted; installing one
//                      (log and configuration); MsgSnapStatus
//   Raft+LeaderTransfer.swift   MsgTransferLeader, MsgTimeoutNow, campaigning through the lease
//   Raft+ConfChange.swift    membership changes (V1 and V2), one pending at a time, switching
//                      configurations, auto-leave; learners never campaign nor count
//   ReadOnly.swift, Raft+ReadIndex.swift   ReadIndex (ReadOnlySafe): the commit index at the
//                      read, confirmed by a heartbeat round echoing its context; batched
//   RawNode.swift, Ready.swift   the caller's handle: Ready out, advance in; bootstrap; status
//
// NOT YET HERE (a place is reserved in etcd's shape)
//   ReadOnlyLeaseBased reads (etcd's server uses ReadOnlySafe by default).
