//! One table for VEX justifications across OpenVEX, CycloneDX and CSAF, so every writer
//! speaks its own format's vocabulary whatever the input VEX used.
//!
//! OpenVEX's five justifications are also CSAF 2.0's flag labels. CycloneDX's nine
//! `analysis.justification` values are finer; each maps to the OpenVEX/CSAF value that
//! covers it (the mapping of CISA's "VEX Status Justifications" and CycloneDX's VEX
//! guide), and each OpenVEX/CSAF value to the CycloneDX value closest to it:
//!
//! | OpenVEX / CSAF                                      | CycloneDX                                   |
//! |-----------------------------------------------------|---------------------------------------------|
//! | `component_not_present`                             | `code_not_present`                          |
//! | `vulnerable_code_not_present`                       | `code_not_present`                          |
//! | `vulnerable_code_not_in_execute_path`               | `code_not_reachable`                        |
//! | `vulnerable_code_cannot_be_controlled_by_adversary` | `requires_environment` (also `requires_configuration`, `requires_dependency`, `protected_at_perimeter`) |
//! | `inline_mitigations_already_exist`                  | `protected_by_mitigating_control` (also `protected_by_compiler`, `protected_at_runtime`) |

/// A justification, from any of the three vocabularies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Justification {
    /// OpenVEX/CSAF `component_not_present`.
    ComponentNotPresent,
    /// OpenVEX/CSAF `vulnerable_code_not_present`; CycloneDX `code_not_present`.
    VulnerableCodeNotPresent,
    /// OpenVEX/CSAF `vulnerable_code_not_in_execute_path`; CycloneDX `code_not_reachable`.
    VulnerableCodeNotInExecutePath,
    /// OpenVEX/CSAF `vulnerable_code_cannot_be_controlled_by_adversary`.
    VulnerableCodeCannotBeControlledByAdversary,
    /// OpenVEX/CSAF `inline_mitigations_already_exist`.
    InlineMitigationsAlreadyExist,
    /// CycloneDX `requires_configuration`.
    RequiresConfiguration,
    /// CycloneDX `requires_dependency`.
    RequiresDependency,
    /// CycloneDX `requires_environment`.
    RequiresEnvironment,
    /// CycloneDX `protected_by_compiler`.
    ProtectedByCompiler,
    /// CycloneDX `protected_at_runtime`.
    ProtectedAtRuntime,
    /// CycloneDX `protected_at_perimeter`.
    ProtectedAtPerimeter,
    /// CycloneDX `protected_by_mitigating_control`.
    ProtectedByMitigatingControl,
}

impl Justification {
    /// Every justification.
    pub const ALL: [Self; 12] = [
        Self::ComponentNotPresent,
        Self::VulnerableCodeNotPresent,
        Self::VulnerableCodeNotInExecutePath,
        Self::VulnerableCodeCannotBeControlledByAdversary,
        Self::InlineMitigationsAlreadyExist,
        Self::RequiresConfiguration,
        Self::RequiresDependency,
        Self::RequiresEnvironment,
        Self::ProtectedByCompiler,
        Self::ProtectedAtRuntime,
        Self::ProtectedAtPerimeter,
        Self::ProtectedByMitigatingControl,
    ];

    /// Reads a justification of any of the three formats (case-insensitive, `-` as `_`).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        Some(match s.as_str() {
            "component_not_present" => Self::ComponentNotPresent,
            "vulnerable_code_not_present" | "code_not_present" => Self::VulnerableCodeNotPresent,
            "vulnerable_code_not_in_execute_path" | "code_not_reachable" => {
                Self::VulnerableCodeNotInExecutePath
            }
            "vulnerable_code_cannot_be_controlled_by_adversary" => {
                Self::VulnerableCodeCannotBeControlledByAdversary
            }
            "inline_mitigations_already_exist" => Self::InlineMitigationsAlreadyExist,
            "requires_configuration" => Self::RequiresConfiguration,
            "requires_dependency" => Self::RequiresDependency,
            "requires_environment" => Self::RequiresEnvironment,
            "protected_by_compiler" => Self::ProtectedByCompiler,
            "protected_at_runtime" => Self::ProtectedAtRuntime,
            "protected_at_perimeter" => Self::ProtectedAtPerimeter,
            "protected_by_mitigating_control" => Self::ProtectedByMitigatingControl,
            _ => return None,
        })
    }

    /// The OpenVEX justification (also the CSAF 2.0 flag label).
    pub const fn openvex(self) -> &'static str {
        match self {
            Self::ComponentNotPresent => "component_not_present",
            Self::VulnerableCodeNotPresent => "vulnerable_code_not_present",
            Self::VulnerableCodeNotInExecutePath => "vulnerable_code_not_in_execute_path",
            Self::VulnerableCodeCannotBeControlledByAdversary
            | Self::RequiresConfiguration
            | Self::RequiresDependency
            | Self::RequiresEnvironment
            | Self::ProtectedAtPerimeter => "vulnerable_code_cannot_be_controlled_by_adversary",
            Self::InlineMitigationsAlreadyExist
            | Self::ProtectedByCompiler
            | Self::ProtectedAtRuntime
            | Self::ProtectedByMitigatingControl => "inline_mitigations_already_exist",
        }
    }

    /// The CSAF 2.0 flag label (OpenVEX's vocabulary).
    pub const fn csaf_flag(self) -> &'static str {
        self.openvex()
    }

    /// The CycloneDX `analysis.justification`.
    pub const fn cyclonedx(self) -> &'static str {
        match self {
            Self::ComponentNotPresent | Self::VulnerableCodeNotPresent => "code_not_present",
            Self::VulnerableCodeNotInExecutePath => "code_not_reachable",
            Self::VulnerableCodeCannotBeControlledByAdversary | Self::RequiresEnvironment => {
                "requires_environment"
            }
            Self::RequiresConfiguration => "requires_configuration",
            Self::RequiresDependency => "requires_dependency",
            Self::ProtectedByCompiler => "protected_by_compiler",
            Self::ProtectedAtRuntime => "protected_at_runtime",
            Self::ProtectedAtPerimeter => "protected_at_perimeter",
            Self::InlineMitigationsAlreadyExist | Self::ProtectedByMitigatingControl => {
                "protected_by_mitigating_control"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The five OpenVEX values and the nine CycloneDX values, as the specifications list
    /// them (OpenVEX spec v0.2.0 "Status Justifications"; CycloneDX 1.6 `impactAnalysisJustification`).
    const OPENVEX: [&str; 5] = [
        "component_not_present",
        "vulnerable_code_not_present",
        "vulnerable_code_not_in_execute_path",
        "vulnerable_code_cannot_be_controlled_by_adversary",
        "inline_mitigations_already_exist",
    ];
    const CYCLONEDX: [&str; 9] = [
        "code_not_present",
        "code_not_reachable",
        "requires_configuration",
        "requires_dependency",
        "requires_environment",
        "protected_by_compiler",
        "protected_at_runtime",
        "protected_at_perimeter",
        "protected_by_mitigating_control",
    ];

    #[test]
    fn every_output_is_in_its_format_vocabulary() {
        for j in Justification::ALL {
            assert!(OPENVEX.contains(&j.openvex()), "{j:?}");
            assert!(OPENVEX.contains(&j.csaf_flag()), "{j:?}");
            assert!(CYCLONEDX.contains(&j.cyclonedx()), "{j:?}");
        }
    }

    #[test]
    fn openvex_to_cyclonedx_and_back() {
        let table = [
            ("component_not_present", "code_not_present"),
            ("vulnerable_code_not_present", "code_not_present"),
            ("vulnerable_code_not_in_execute_path", "code_not_reachable"),
            (
                "vulnerable_code_cannot_be_controlled_by_adversary",
                "requires_environment",
            ),
            (
                "inline_mitigations_already_exist",
                "protected_by_mitigating_control",
            ),
        ];
        for (openvex, cdx) in table {
            let j = Justification::parse(openvex).unwrap();
            assert_eq!(j.openvex(), openvex);
            assert_eq!(j.csaf_flag(), openvex);
            assert_eq!(j.cyclonedx(), cdx, "{openvex}");
        }
    }

    #[test]
    fn cyclonedx_to_openvex_and_csaf() {
        let table = [
            ("code_not_present", "vulnerable_code_not_present"),
            ("code_not_reachable", "vulnerable_code_not_in_execute_path"),
            (
                "requires_configuration",
                "vulnerable_code_cannot_be_controlled_by_adversary",
            ),
            (
                "requires_dependency",
                "vulnerable_code_cannot_be_controlled_by_adversary",
            ),
            (
                "requires_environment",
                "vulnerable_code_cannot_be_controlled_by_adversary",
            ),
            (
                "protected_at_perimeter",
                "vulnerable_code_cannot_be_controlled_by_adversary",
            ),
            ("protected_by_compiler", "inline_mitigations_already_exist"),
            ("protected_at_runtime", "inline_mitigations_already_exist"),
            (
                "protected_by_mitigating_control",
                "inline_mitigations_already_exist",
            ),
        ];
        for (cdx, openvex) in table {
            let j = Justification::parse(cdx).unwrap();
            assert_eq!(j.openvex(), openvex, "{cdx}");
            assert_eq!(j.csaf_flag(), openvex, "{cdx}");
            // CycloneDX values round-trip unchanged.
            assert_eq!(j.cyclonedx(), cdx);
        }
        assert_eq!(
            Justification::parse("Code-Not-Reachable")
                .unwrap()
                .openvex(),
            "vulnerable_code_not_in_execute_path"
        );
        assert_eq!(Justification::parse("because"), None);
    }
}
