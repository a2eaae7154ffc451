extension Screener {
    /// How far after now an `occurred_at` may be: a day (a clock a little fast, a time zone mistaken).
    static let futureAllowance: Int64 = 86_400

    /// Screens one record as ``IncidentInput`` reads it, exactly as `triage screen` does: an incident gets
    /// its decision, unless it is dated more than a day after now (a typing error, which would also age out
    /// every household's history), when it is rejected; a reject is passed through.
    public mutating func screen(_ record: consuming InputRecord) -> Result<Decision, Reject> {
        switch admit(record) {
        case .success(let incident): .success(screen(incident))
        case .failure(let reject): .failure(reject)
        }
    }

    /// Record `i` of a batch, taken out of it and screened as ``screen(_:)-(InputRecord)`` does, with its
    /// keys prepared on the reading thread; the history entries of the next few incidents are read ahead
    /// first, so that they are in cache when those are screened.
    package mutating func screen(_ batch: inout RecordBatch, at i: Int) -> Result<Decision, Reject> {
        let record = batch.take(i)
        history.warmAhead(batch, i)
        // Matched here rather than through `admit`, so that the incident is not moved once more.
        switch consume record {
        case .reject(let r):
            return .failure(r)
        case .incident(let incident, let location):
            if isTooFarAhead(incident.occurredAt) { return .failure(Screener.futureReject(incident, location)) }
            return .success(screen(incident, keys: batch.keys[i]))
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
