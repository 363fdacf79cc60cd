import Testing

@testable import FlowAudit

@Suite("Control kinds and the replay table")
struct ReplayTableTests {
    @Test func controlKindFollowsRFC9293Precedence() {
        #expect(TCPFlags([.syn]).control == .syn)
        #expect(TCPFlags([.syn, .ack]).control == .synACK)
        #expect(TCPFlags([.syn, .rst]).control == .rst)  // RST is checked first
        #expect(TCPFlags([.rst, .ack]).control == .rst)
        #expect(TCPFlags([.syn, .fin]).control == .syn)
        #expect(TCPFlags([.fin, .ack]).control == .fin)
        #expect(TCPFlags([.psh, .ack]).control == .ack)
        #expect(TCPFlags([.fin]).control == .none)  // a FIN probe: no ACK
        #expect(TCPFlags([.fin, .psh, .urg]).control == .none)  // Xmas
        #expect(TCPFlags([]).control == .none)
    }

    @Test func everyStateDropsSegmentsWithoutACK() {
        for state in TCPState.allCases {
            #expect(ReplayRule.rule(receiver: state, control: .none) == .dropWithoutACK)
            #expect(ReplayRule.rule(receiver: state, control: .synACK) == .synACK)
        }
    }

    @Test func resetRulesFollowTheReceiversState() {
        #expect(ReplayRule.rule(receiver: .synSent, control: .rst) == .resetAcknowledgingSYN)
        for state: TCPState in [.unknown, .closed, .listen] {
            #expect(ReplayRule.rule(receiver: state, control: .rst) == .resetUnverifiable)
        }
        for state: TCPState in [
            .synReceived, .established, .finWait1, .finWait2, .closeWait, .closing, .lastAck, .timeWait,
        ] {
            #expect(ReplayRule.rule(receiver: state, control: .rst) == .resetInWindow)
            #expect(ReplayRule.rule(receiver: state, control: .syn) == .synInSynchronized)
        }
    }

    @Test func finIsWindowCheckedOnlyOnceSynchronizedPastTheHandshake() {
        #expect(ReplayRule.rule(receiver: .synSent, control: .fin) == .withoutSYNInSYNSent)
        #expect(ReplayRule.rule(receiver: .synSent, control: .ack) == .withoutSYNInSYNSent)
        #expect(ReplayRule.rule(receiver: .synReceived, control: .fin) == .acknowledgment)
        #expect(ReplayRule.rule(receiver: .established, control: .fin) == .finInWindow)
        #expect(ReplayRule.rule(receiver: .timeWait, control: .fin) == .finInWindow)
        #expect(ReplayRule.rule(receiver: .established, control: .ack) == .acknowledgment)
        #expect(ReplayRule.rule(receiver: .synSent, control: .syn) == .simultaneousOpen)
        #expect(ReplayRule.rule(receiver: .listen, control: .syn) == .connectionRequest)
    }

    @Test func everyRuleNamesItsSection() {
        for state in TCPState.allCases {
            for control in SegmentControl.allCases {
                #expect(ReplayRule.rule(receiver: state, control: control).section.hasPrefix("RFC "))
            }
        }
    }
}
