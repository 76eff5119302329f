import Testing
import VaporTesting
@testable import PilarApp
@Test func x() {}
