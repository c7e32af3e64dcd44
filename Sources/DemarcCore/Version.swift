/// The tool's version and the rule format it reads.
public enum DemarcVersion {
    public static let tool = "0.1.0"
    public static let ruleFormat = 1
    /// `demarc 0.1.0`, as written in results.
    public static var toolName: String { "demarc \(tool)" }
}
