extension Screener {
    /// How far after now an `occurred_at` may be: a day (a clock a little fast, a time zone mistaken).
    static let futureAllowance: Int64 = 86_400

    /// Screens one record as ``IncidentInput`` reads it, exactly as `triage screen` does: an incident gets
    /// its decision, unless it is dated more than a day after now (a typing error, which would also age out
    /// every household's history), when it is rejected; a reject is passed through.
    public mutating func screen(_ record: consuming InputRecord) -> Result<Decision, Reject> {
        switch admit(record) {
        case .success(let incident): .success(screen(incident))  // its routes made
        case .failure(let reject): .failure(reject)
        }
    }

    /// Record `i` of a batch, taken out of it and screened as ``screen(_:)-(InputRecord)`` does, with its
    /// keys prepared on the reading thread; the history entries of the next few incidents are read ahead
    /// first, so that they are in cache when those are screened.
    package mutating func screen(_ batch: inout RecordBatch, at i: Int) -> Result<Decision, Reject> {
        var decision: Decision? = nil
        if let r = screenRecord(&batch, at: i, { decision = $0 }) { return .failure(r) }
        var d = decision.take()!
        routeMaker.complete(&d)
        return .success(d)
    }

    /// ``screen(_:at:)``, its decision appended to `decisions` (moved there once, where a `Result` moved it
    /// twice more); nil then, else the reject. With `makingRoutes` false, the decision is left waiting for its
    /// routes, which the caller makes on another thread (``RouteMaker/complete(_:)``, before anything reads
    /// the decision): the screening thread, the one that must run in input order, then only notes which
    /// rules fired.
    package mutating func screen(
        _ batch: inout RecordBatch, at i: Int, appendingTo decisions: inout [Decision], makingRoutes: Bool = true
    ) -> Reject? {
        let reject = screenRecord(&batch, at: i) { decisions.append($0) }
        // `reject == nil` compares two `Reject?` (copying the reject and destroying a pair of them, about 160
        // instructions an incident): a pattern reads it in place.
        if case .none = reject, makingRoutes { routeMaker.complete(&decisions[decisions.count - 1]) }
        return reject
    }

    /// ``screen(_:at:appendingTo:makingRoutes:)`` for a caller that keeps a place for each record: the
    /// decision is appended, or nil for a reject, which is returned.
    package mutating func screen(
        _ batch: inout RecordBatch, at i: Int, appendingTo decisions: inout [Decision?], makingRoutes: Bool = true
    ) -> Reject? {
        let reject = screenRecord(&batch, at: i) { decisions.append($0) }
        if case .some = reject {
            decisions.append(nil)
        } else if makingRoutes {
            routeMaker.complete(&decisions[decisions.count - 1]!)
        }
        return reject
    }

    /// Screens record `i` of a batch (as ``screen(_:at:)``), handing the decision to `keep`; returns the
    /// reject instead when there is one.
    @inline(__always)
    private mutating func screenRecord(
        _ batch: inout RecordBatch, at i: Int, _ keep: (consuming Decision) -> Void
    ) -> Reject? {
        let record = batch.take(i)
        history.warmAhead(batch, i)
        // Matched here rather than through `admit`, so that the incident is not moved once more.
        switch consume record {
        case .reject(let r):
            return r
        case .incident(let incident, let location):
            if isTooFarAhead(incident.occurredAt) { return Screener.futureReject(incident, location) }
            // Taken out of the batch rather than copied from it (retaining and releasing its two strings).
            let keys = batch.takeKeys(i)
            keep(screen(incident, keys: keys))
            return nil
        }
    }

    /// The incident of a record that may be screened, or why not: the reader's reject, or the future-date
    /// rule's. (For a caller that screens later, in another order: `triage screen --sort`.)
    package mutating func admit(_ record: consuming InputRecord) -> Result<Incident, Reject> {
        switch consume record {
        case .reject(let r):
            return .failure(r)
        case .incident(let incident, let location):
            guard isTooFarAhead(incident.occurredAt) else { return .success(incident) }
            return .failure(Screener.futureReject(incident, location))
        }
    }

    static func futureReject(_ incident: borrowing Incident, _ location: SourceLocation) -> Reject {
        Reject(
            location: location, field: "occurred_at", incidentID: incident.incidentID,
            message: "occurred_at is more than a day in the future: expected the time the incident happened")
    }

    /// Whether `t` is more than a day after now. The clock is read again only when `t` passes the limit
    /// set at its last reading, so a live stream's limit moves with time at no cost per incident.
    mutating func isTooFarAhead(_ t: Instant) -> Bool {
        if t.seconds <= futureLimit { return false }
        futureLimit = clock.now().seconds + Screener.futureAllowance
        return t.seconds > futureLimit
    }
}

extension Screener {
    /// Screens every record of `input` in order, passing each outcome to `body` as it is made: the batch
    /// path `triage screen` takes (records read ahead in small batches, each incident's history keys
    /// prepared and its history entries read ahead), on this thread. A shard of a larger job is a screener
    /// started from the shard's saved history and ending with ``History/save()``: shards that share no
    /// person, household or child give the decisions one run over all of them would.
    ///
    /// - Throws: ``InputError`` when reading cannot go on, or what `body` throws (screening stops there;
    ///   the records read but not yet screened are not screened).
    public mutating func screenAll(
        _ input: inout IncidentInput, _ body: (Result<Decision, Reject>) throws -> Void
    ) throws {
        var batch = RecordBatch(capacity: Screener.batchSize)
        while true {
            while batch.count < Screener.batchSize, let record = try input.next() { batch.append(record) }
            if batch.isEmpty { return }
            for i in 0..<batch.count { try body(screen(&batch, at: i)) }
            batch = RecordBatch(capacity: Screener.batchSize)
        }
    }

    /// Records read ahead by ``screenAll(_:_:)``: enough for the look-ahead, small enough to stay in cache.
    static let batchSize = 256
}
