import Testing
@testable import PilarCore
@Test func version() { #expect(!PilarCoreVersion.value.isEmpty) }
