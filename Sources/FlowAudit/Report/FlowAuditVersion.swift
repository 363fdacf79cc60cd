/// The release this build is: `tcpflow-audit --version` and the JSON summary's `tool_version`.
/// Raised with each tagged release (semantic versioning: the JSON schema has its own number).
public enum FlowAuditVersion {
    public static let string = "0.4.0"
}
