import DemarcCore

extension Profiler {
    static func profileXML(_ request: ProfileRequest, formatSource: String) throws -> FileProfile {
        throw DemarcError.internalError("xml profile not yet built")
    }
}
