//! The closed value sets of the device profile format v1 (spec: `device-profile.md`).

use crate::ids::string_enum;

string_enum! {
    /// Product category: the catalogue ids of the spec (stable).
    pub enum Category {
        SmartPlug => "smart-plug",
        SmartBulb => "smart-bulb",
        SmartSpeaker => "smart-speaker",
        VoiceAssistant => "voice-assistant",
        SmartTv => "smart-tv",
        StreamingDevice => "streaming-device",
        Thermostat => "thermostat",
        SmartLock => "smart-lock",
        SecurityCamera => "security-camera",
        VideoDoorbell => "video-doorbell",
        BabyMonitor => "baby-monitor",
        AlarmSystem => "alarm-system",
        SmokeDetector => "smoke-detector",
        SmartAppliance => "smart-appliance",
        RobotVacuum => "robot-vacuum",
        ConnectedToy => "connected-toy",
        FitnessWearable => "fitness-wearable",
        HealthWearable => "health-wearable",
        Smartwatch => "smartwatch",
        HomeRouter => "home-router",
        Modem => "modem",
        NetworkSwitch => "network-switch",
        Firewall => "firewall",
        Nas => "nas",
        Printer => "printer",
        IpPhone => "ip-phone",
        SmartMeter => "smart-meter",
        SmartMeterGateway => "smart-meter-gateway",
        EvCharger => "ev-charger",
        SolarInverter => "solar-inverter",
        IndustrialController => "industrial-controller",
        IndustrialSensor => "industrial-sensor",
        BuildingAutomation => "building-automation",
        MedicalDevice => "medical-device",
        InfusionPump => "infusion-pump",
        VehicleTelematics => "vehicle-telematics",
        VehicleEcu => "vehicle-ecu",
        Drone => "drone",
        AccessControlReader => "access-control-reader",
        SecureElement => "secure-element",
        Other => "other",
    }
}

string_enum! {
    /// Where the product is meant to be used.
    pub enum Environment {
        Home => "home",
        Office => "office",
        Industrial => "industrial",
        Healthcare => "healthcare",
        Vehicle => "vehicle",
        CriticalInfrastructure => "critical-infrastructure",
        PublicSpace => "public-space",
    }
}

string_enum! {
    /// Who the product is meant for.
    pub enum UserKind {
        Consumer => "consumer",
        Enterprise => "enterprise",
        Government => "government",
    }
}

string_enum! {
    /// What the product can do in the physical world.
    pub enum PhysicalEffect {
        SwitchMainsPower => "switch-mains-power",
        HeatOrCool => "heat-or-cool",
        OpenOrLockDoor => "open-or-lock-door",
        MoveMachinery => "move-machinery",
        SteerOrBrake => "steer-or-brake",
        DoseMedication => "dose-medication",
        ControlIndustrialProcess => "control-industrial-process",
        DisableAlarm => "disable-alarm",
        EmitSoundOrLight => "emit-sound-or-light",
        None => "none",
    }
}

string_enum! {
    /// Worst credible harm to people if the product is compromised.
    pub enum SafetyImpact {
        None => "none",
        Low => "low",
        Moderate => "moderate",
        High => "high",
        LifeCritical => "life-critical",
    }
}

string_enum! {
    /// Kinds of data the product collects or processes.
    pub enum DataKind {
        Personal => "personal",
        Audio => "audio",
        Video => "video",
        Location => "location",
        Health => "health",
        Biometric => "biometric",
        Credentials => "credentials",
        Usage => "usage",
        None => "none",
    }
}

string_enum! {
    /// Network and local interfaces.
    pub enum Interface {
        Wifi => "wifi",
        Ethernet => "ethernet",
        Ble => "ble",
        Zigbee => "zigbee",
        Zwave => "zwave",
        Thread => "thread",
        Lora => "lora",
        Cellular => "cellular",
        Nfc => "nfc",
        Usb => "usb",
        Serial => "serial",
    }
}

string_enum! {
    /// Transport protocol of a listening service.
    pub enum Protocol {
        Tcp => "tcp",
        Udp => "udp",
    }
}

string_enum! {
    /// How default passwords are set.
    pub enum DefaultPassword {
        /// The product uses no passwords at all.
        None => "none",
        UniquePerDevice => "unique-per-device",
        UserSetAtSetup => "user-set-at-setup",
        /// The same password on every unit: forbidden by EN 303 645 5.1-1 and UK PSTI.
        Universal => "universal",
    }
}

string_enum! {
    /// An authentication method (of the product, or of one service).
    pub enum AuthMethod {
        Password => "password",
        AppPairing => "app-pairing",
        Certificate => "certificate",
        Token => "token",
        Pin => "pin",
        None => "none",
    }
}

string_enum! {
    /// How credentials and keys are stored on the device.
    pub enum CredentialStorage {
        Plaintext => "plaintext",
        Hashed => "hashed",
        Encrypted => "encrypted",
        SecureElement => "secure-element",
    }
}

string_enum! {
    /// How security updates reach the device.
    pub enum UpdateMechanism {
        Automatic => "automatic",
        UserInitiated => "user-initiated",
        Manual => "manual",
        None => "none",
    }
}

string_enum! {
    /// Secure development practices.
    pub enum Practice {
        ThreatModeling => "threat-modeling",
        CodeReview => "code-review",
        StaticAnalysis => "static-analysis",
        Fuzzing => "fuzzing",
        PenetrationTest => "penetration-test",
        DependencyScanning => "dependency-scanning",
        SecureCodingTraining => "secure-coding-training",
    }
}

string_enum! {
    /// Protection of data in transit.
    pub enum TransitEncryption {
        None => "none",
        Tls1_0 => "tls1.0",
        Tls1_1 => "tls1.1",
        Tls1_2 => "tls1.2",
        Tls1_3 => "tls1.3",
        Dtls1_2 => "dtls1.2",
        Dtls1_3 => "dtls1.3",
        LinkLayer => "link-layer",
    }
}

string_enum! {
    /// Kind of evidence behind a claim.
    pub enum EvidenceKind {
        SelfDeclaration => "self-declaration",
        TestReport => "test-report",
        Certificate => "certificate",
        Document => "document",
        Probe => "probe",
    }
}

impl EvidenceKind {
    /// Third-party evidence makes a claim *verified*; the rest leave it *declared*.
    pub const fn is_third_party(self) -> bool {
        matches!(self, Self::TestReport | Self::Certificate | Self::Probe)
    }
}

string_enum! {
    /// Other regulatory regimes a product falls under (riskmark extension of v1).
    ///
    /// They decide exclusions from the EU Cyber Resilience Act's scope (Art. 2).
    pub enum Regime {
        /// Medical Devices Regulation (EU) 2017/745.
        Mdr => "mdr",
        /// In-vitro Diagnostic Medical Devices Regulation (EU) 2017/746.
        Ivdr => "ivdr",
        /// Motor vehicle type approval, Regulation (EU) 2019/2144.
        VehicleTypeApproval => "vehicle-type-approval",
        /// Certified civil aviation products, Regulation (EU) 2018/1139.
        Aviation => "aviation",
        /// Marine equipment, Directive 2014/90/EU.
        Marine => "marine",
        /// Developed exclusively for national security or defence.
        Defence => "defence",
    }
}
