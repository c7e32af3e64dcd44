import DemarcCore

extension Profiler {
    static func profileDatev(_ request: ProfileRequest, formatSource: String) throws -> FileProfile {
        throw DemarcError.internalError("datev profile not yet built")
    }
}
