import Foundation

/// The rules for answering and verifying one indicator, as plain functions: who may move an
/// answer from which status to which, and what a valid answer holds.
public enum AssessmentWorkflow {
    public enum Action: String, Sendable, CaseIterable {
        /// Save the self-assessment as a draft.
        case saveDraft = "save"
        /// Send the self-assessment to the coordinator.
        case submit
        /// The coordinator accepts it with a verified level.
        case verify
        /// The coordinator sends it back with a note saying what is needed.
        case giveBack = "return"
    }

    /// A problem with a requested change, as a catalogue key plus values for its placeholders.
    public struct Problem: Error, Sendable, Equatable {
        public var field: String
        public var key: String
        public var values: [String: String]
        public init(field: String, key: String, values: [String: String] = [:]) {
            self.field = field
            self.key = key
            self.values = values
        }
    }

    /// What the user sent.
    public struct Answer: Sendable, Equatable {
        public var level: Double?
        public var notApplicable: Bool
        public var text: String
        public init(level: Double?, notApplicable: Bool, text: String) {
            self.level = level
            self.notApplicable = notApplicable
            self.text = text
        }
    }

    /// The status after `action`, or the problems that stop it.
    /// - Parameters:
    ///   - scale: the instrument's scale (levels must lie inside it).
    ///   - naAllowed: whether the instrument allows N/A for this indicator.
    ///   - isCoordinator: coordinators may change answers in any status; agencies only open ones.
    public static func apply(
        _ action: Action, from status: AssessmentStatus, answer: Answer, scale: ClosedRange<Double>,
        naAllowed: Bool, isCoordinator: Bool
    ) -> Result<AssessmentStatus, Problems> {
        var problems: [Problem] = []
        switch action {
        case .saveDraft, .submit:
            if !isCoordinator && !status.isOpenForAgency {
                problems.append(Problem(field: "status", key: "workflow_locked"))
            }
            if answer.notApplicable && !naAllowed {
                problems.append(Problem(field: "level", key: "workflow_na_not_allowed"))
            }
            if let level = answer.level, !scale.contains(level) {
                problems.append(Problem(field: "level", key: "workflow_level_outside",
                                        values: ["min": fmt(scale.lowerBound), "max": fmt(scale.upperBound)]))
            }
            if action == .submit {
                if answer.level == nil && !answer.notApplicable {
                    problems.append(Problem(field: "level", key: "workflow_level_required"))
                }
                if answer.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    problems.append(Problem(field: "text", key: "workflow_justification_required"))
                }
            }
            return problems.isEmpty ? .success(action == .submit ? .submitted : .draft) : .failure(Problems(problems))
        case .verify:
            if !isCoordinator { problems.append(Problem(field: "status", key: "workflow_coordinator_only")) }
            if answer.notApplicable && !naAllowed {
                problems.append(Problem(field: "level", key: "workflow_na_not_allowed"))
            }
            if answer.level == nil && !answer.notApplicable {
                problems.append(Problem(field: "level", key: "workflow_level_required"))
            } else if let level = answer.level, !scale.contains(level) {
                problems.append(Problem(field: "level", key: "workflow_level_outside",
                                        values: ["min": fmt(scale.lowerBound), "max": fmt(scale.upperBound)]))
            }
            return problems.isEmpty ? .success(.verified) : .failure(Problems(problems))
        case .giveBack:
            if !isCoordinator { problems.append(Problem(field: "status", key: "workflow_coordinator_only")) }
            if !(status == .submitted || status == .verified) {
                problems.append(Problem(field: "status", key: "workflow_return_not_submitted"))
            }
            if answer.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append(Problem(field: "text", key: "workflow_note_required"))
            }
            return problems.isEmpty ? .success(.returned) : .failure(Problems(problems))
        }
    }

    public struct Problems: Error, Sendable, Equatable {
        public var list: [Problem]
        public init(_ list: [Problem]) { self.list = list }
        public var keys: [String] { list.map(\.key) }
    }

    static func fmt(_ v: Double) -> String { InstrumentValidator.fmt(v) }
}
