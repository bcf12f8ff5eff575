// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Intermediary} from "../../main/solidity/Intermediary.sol";
import {ChannelFixture} from "./Fixtures.sol";

contract SlaTest is ChannelFixture {
    uint64 internal constant WINDOW = 3600;
    Intermediary internal sla;
    uint256 internal start;

    function setUp() public override {
        super.setUp();
        start = block.timestamp;
        sla = _create(address(0), _prices2(1000, 2500), 1 ether, _terms(2));
        vm.deal(payout, 10 ether);
        vm.prank(payout);
        sla.depositCollateral{value: 0.5 ether}(0.5 ether);
    }

    function _terms(uint8 quorum) internal view returns (Intermediary.Sla memory terms) {
        terms.targetBps = 9900;
        terms.windowLength = WINDOW;
        terms.tiers = new Intermediary.PenaltyTier[](2);
        terms.tiers[0] = Intermediary.PenaltyTier({belowBps: 9900, penalty: 0.1 ether});
        terms.tiers[1] = Intermediary.PenaltyTier({belowBps: 9500, penalty: 0.3 ether});
        terms.monitors = new address[](3);
        terms.monitors[0] = vm.addr(MONITOR1_KEY);
        terms.monitors[1] = vm.addr(MONITOR2_KEY);
        terms.monitors[2] = vm.addr(MONITOR3_KEY);
        terms.quorum = quorum;
    }

    function _report(uint256 key, uint64 window, uint32 bps) internal view returns (Intermediary.WindowReport memory) {
        return
            Intermediary.WindowReport({
                availabilityBps: bps, signature: _sign(key, sla.windowReportDigest(window, bps))
            });
    }

    function _reports3(uint32 a, uint32 b, uint32 c, uint64 window)
        internal
        view
        returns (Intermediary.WindowReport[] memory r)
    {
        r = new Intermediary.WindowReport[](3);
        r[0] = _report(MONITOR1_KEY, window, a);
        r[1] = _report(MONITOR2_KEY, window, b);
        r[2] = _report(MONITOR3_KEY, window, c);
    }

    function testAnOutagePaysTheTiersPenaltyIntoTheConsumersDeposit() public {
        vm.warp(start + WINDOW);
        sla.reportWindow(0, _reports3(9400, 9450, 9300, 0));
        Intermediary.State memory s = sla.state();
        assertEq(s.collateral, 0.2 ether, "collateral paid out");
        assertEq(s.unredeemed, 1.3 ether, "penalty credited to the consumer");
        assertTrue(sla.windowReported(0), "window reported");
        _assertBalanced(sla);
    }

    function testOneOutlierDoesNotMoveTheMedian() public {
        vm.warp(start + WINDOW);
        sla.reportWindow(0, _reports3(9990, 0, 9995, 0)); // one monitor claims a total outage
        assertEq(sla.state().collateral, 0.5 ether, "no penalty: the median met the target");
    }

    function testAMildMissPaysTheLowerTier() public {
        vm.warp(start + WINDOW);
        sla.reportWindow(0, _reports3(9800, 9850, 9700, 0));
        assertEq(sla.state().collateral, 0.4 ether, "tier below 9900 bps");
    }

    function testTooFewReportsPayNothing() public {
        Intermediary strict = _create(address(0), _prices2(1, 1), 1 ether, _terms(3));
        vm.prank(payout);
        strict.depositCollateral{value: 1 ether}(1 ether);
        vm.warp(start + WINDOW);
        Intermediary.WindowReport[] memory two = new Intermediary.WindowReport[](2);
        bytes32 digest = strict.windowReportDigest(0, 0);
        two[0] = Intermediary.WindowReport(0, _sign(MONITOR1_KEY, digest));
        two[1] = Intermediary.WindowReport(0, _sign(MONITOR2_KEY, digest));
        vm.expectRevert(abi.encodeWithSelector(Intermediary.TooFewReports.selector, 2, 3));
        strict.reportWindow(0, two);
        assertEq(strict.state().collateral, 1 ether, "nothing paid");
    }

    function testDuplicatedAndUnknownMonitorsAreRefused() public {
        vm.warp(start + WINDOW);
        Intermediary.WindowReport[] memory dup = new Intermediary.WindowReport[](2);
        dup[0] = _report(MONITOR1_KEY, 0, 9000);
        dup[1] = _report(MONITOR1_KEY, 0, 9000);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.DuplicateMonitor.selector, vm.addr(MONITOR1_KEY)));
        sla.reportWindow(0, dup);

        Intermediary.WindowReport[] memory stranger = new Intermediary.WindowReport[](2);
        stranger[0] = _report(MONITOR1_KEY, 0, 9000);
        stranger[1] = _report(0xBAD, 0, 9000);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.UnknownMonitor.selector, vm.addr(0xBAD)));
        sla.reportWindow(0, stranger);

        Intermediary.WindowReport[] memory tooGood = new Intermediary.WindowReport[](2);
        tooGood[0] = _report(MONITOR1_KEY, 0, 10_001);
        tooGood[1] = _report(MONITOR2_KEY, 0, 9000);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.BadAvailability.selector, 10_001));
        sla.reportWindow(0, tooGood);
    }

    function testAWindowIsPaidOnceAndOnlyAfterItEnded() public {
        Intermediary.WindowReport[] memory reports = _reports3(9000, 9000, 9000, 0);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.WindowNotOver.selector, 0, uint64(start + WINDOW)));
        sla.reportWindow(0, reports);
        vm.warp(start + WINDOW);
        sla.reportWindow(0, reports);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.WindowAlreadyReported.selector, 0));
        sla.reportWindow(0, reports);
        // a report signed for window 0 does not count for window 1
        vm.warp(start + 2 * WINDOW);
        vm.expectPartialRevert(Intermediary.UnknownMonitor.selector);
        sla.reportWindow(1, reports);
    }

    function testExhaustedCollateralPaysWhatIsLeftWithoutUnderflow() public {
        for (uint64 w = 0; w < 3; w++) {
            vm.warp(start + (w + 1) * WINDOW);
            sla.reportWindow(w, _reports3(1000, 1000, 1000, w));
        }
        Intermediary.State memory s = sla.state();
        assertEq(s.collateral, 0, "collateral exhausted");
        assertEq(s.unredeemed, 1.5 ether, "0.3 + 0.2 + 0 paid");
        _assertBalanced(sla);
    }

    function testAChannelWithoutSlaRefusesReportsAndCollateral() public {
        vm.expectRevert(Intermediary.NoSla.selector);
        channel.reportWindow(0, new Intermediary.WindowReport[](0));
        vm.prank(payout);
        vm.expectRevert(Intermediary.NoSla.selector);
        channel.depositCollateral{value: 1}(1);
    }

    function testBadSlaTermsAreRefusedAtCreation() public {
        Intermediary.Sla memory terms = _terms(4);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.BadSla.selector, "quorum out of range"));
        factory.createChannel(_params(address(0), _prices2(1, 1), terms));
        terms = _terms(1);
        terms.monitors[1] = terms.monitors[0];
        vm.expectRevert(abi.encodeWithSelector(Intermediary.DuplicateMonitor.selector, terms.monitors[0]));
        factory.createChannel(_params(address(0), _prices2(1, 1), terms));
        terms = _terms(1);
        terms.windowLength = 0;
        vm.expectRevert(abi.encodeWithSelector(Intermediary.BadSla.selector, "window length is zero"));
        factory.createChannel(_params(address(0), _prices2(1, 1), terms));
    }

    function testClosingReturnsTheRemainingCollateralToThePayout() public {
        vm.prank(payout);
        sla.close();
        Intermediary.State memory s = sla.state();
        assertEq(s.collateral, 0, "collateral released");
        assertEq(s.earnings, 0.5 ether, "collateral withdrawable by payout");
        _assertBalanced(sla);
    }
}
