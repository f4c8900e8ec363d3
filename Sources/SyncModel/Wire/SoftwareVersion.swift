/// The version of this build of Tributary: what `tributary --version` and
/// `tributary-hub --version` print and what the hub reports in `/healthz` and in the
/// `tributary_build_info` metric. Defined here once; raise it with each release.
public enum SoftwareVersion {
    /// The release, as `MAJOR.MINOR.PATCH`.
    public static let current = "0.9.0"
}
