// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Intermediary} from "../../main/solidity/Intermediary.sol";
import {CheatTest} from "./Cheats.sol";
import {ChannelFixture} from "./Fixtures.sol";

/// Drives one channel through random deposits, redemptions, withdrawals, SLA reports and closes, keeping
/// the books an honest observer would keep.
contract Handler is ChannelFixture {
    Intermediary public target;
    uint256 public ghostDeposited;
    uint256 public ghostOwedToProvider; // Σ voucher values redeemed (before the deposit cap)
    uint256 public ghostPaidToProvider; // what left the channel to payout
    uint256 public ghostRefunded;
    uint256 public ghostCollateral;
    uint256 public ghostPenalties;
    uint64 internal nextWindow;
    mapping(uint64 epoch => uint64[2]) internal signedCounts;

    constructor() {
        setUp();
        target = _create(address(0), _prices2(1000, 2500), 1 ether, _slaTerms());
        ghostDeposited = 1 ether;
        vm.deal(payout, 1000 ether);
    }

    function _slaTerms() internal view returns (Intermediary.Sla memory terms) {
        terms.targetBps = 9900;
        terms.windowLength = 100;
        terms.tiers = new Intermediary.PenaltyTier[](1);
        terms.tiers[0] = Intermediary.PenaltyTier({belowBps: 9900, penalty: 0.05 ether});
        terms.monitors = new address[](1);
        terms.monitors[0] = vm.addr(MONITOR1_KEY);
        terms.quorum = 1;
    }

    function deposit(uint96 amount) external {
        if (target.state().closed) return;
        amount = uint96(bound(amount, 1, 10 ether));
        vm.deal(owner, amount);
        vm.prank(owner);
        target.deposit{value: amount}(amount);
        ghostDeposited += amount;
    }

    function collateral(uint96 amount) external {
        if (target.state().closed) return;
        amount = uint96(bound(amount, 1, 1 ether));
        vm.prank(payout);
        target.depositCollateral{value: amount}(amount);
        ghostCollateral += amount;
    }

    function spend(uint8 category, uint32 requests) external {
        Intermediary.State memory s = target.state();
        if (s.closed || s.lastEpochStarted && s.expiringEpoch == 0) return;
        signedCounts[s.activeEpoch][category % 2] += uint64(bound(requests, 1, 1_000_000));
    }

    function redeem(uint96 newPrice) external {
        Intermediary.State memory s = target.state();
        if (s.closed) return;
        if (s.expiringEpoch == 0) {
            if (s.lastEpochStarted) return;
            vm.prank(operator);
            target.startRedemption(_prices2(bound(newPrice, 1, 1e15), 2500));
            return;
        }
        vm.warp(block.timestamp + T_R);
        uint64 epoch = s.expiringEpoch;
        uint64[2] memory counts = signedCounts[epoch];
        (uint256[] memory prices,) = target.pricesOf(epoch);
        Intermediary.Redemption[] memory vouchers =
            _two(_voucher(target, epoch, 0, counts[0]), _voucher(target, epoch, 1, counts[1]));
        uint256 before = target.state().earnings;
        vm.prank(operator);
        target.finishRedemption(epoch, vouchers);
        ghostOwedToProvider += counts[0] * prices[0] + counts[1] * prices[1];
        ghostPaidToProvider += target.state().earnings - before;
    }

    function withdraw() external {
        if (target.state().earnings == 0) return;
        target.withdraw();
    }

    function report(uint16 availability) external {
        Intermediary.State memory s = target.state();
        if (s.closed) return;
        uint64 window = nextWindow++;
        Intermediary.Sla memory terms = target.slaTerms();
        uint256 endsAt = terms.start + (window + 1) * terms.windowLength;
        if (block.timestamp < endsAt) vm.warp(endsAt);
        uint32 bps = uint32(bound(availability, 0, 10_000));
        Intermediary.WindowReport[] memory reports = new Intermediary.WindowReport[](1);
        reports[0] = Intermediary.WindowReport(bps, _sign(MONITOR1_KEY, target.windowReportDigest(window, bps)));
        uint256 before = target.state().collateral;
        target.reportWindow(window, reports);
        ghostPenalties += before - target.state().collateral;
    }

    function requestClose() external {
        Intermediary.State memory s = target.state();
        if (s.closed || s.closeAt != 0) return;
        vm.prank(owner);
        target.requestClose();
    }

    function close() external {
        Intermediary.State memory s = target.state();
        if (s.closed) return;
        uint256 before = owner.balance;
        vm.prank(payout);
        target.close();
        ghostRefunded += owner.balance - before;
    }
}

contract IntermediaryInvariantTest is CheatTest {
    Handler internal handler;

    function setUp() public {
        handler = new Handler();
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// balance == unredeemed deposit + provider earnings + remaining collateral, after every call
    function invariant_balanceIsDepositPlusEarningsPlusCollateral() public view {
        Intermediary c = handler.target();
        Intermediary.State memory s = c.state();
        assertEq(address(c).balance, s.unredeemed + s.earnings + s.collateral, "balance");
    }

    /// the provider is never paid more than its vouchers are worth, nor more than was deposited
    function invariant_providerIsNeverPaidMoreThanOwed() public view {
        assertTrue(handler.ghostPaidToProvider() <= handler.ghostOwedToProvider(), "paid <= voucher value");
        assertTrue(
            handler.ghostPaidToProvider() <= handler.ghostDeposited() + handler.ghostPenalties(), "paid <= funds"
        );
    }

    /// the consumer gets back exactly what it put in plus penalties, less what the provider earned
    function invariant_consumerIsNeverPaidMoreThanOwed() public view {
        Intermediary.State memory s = handler.target().state();
        assertEq(
            s.unredeemed + handler.ghostRefunded() + handler.ghostPaidToProvider(),
            handler.ghostDeposited() + handler.ghostPenalties(),
            "consumer's money is accounted for"
        );
        uint256 expectedCollateral = s.closed ? 0 : handler.ghostCollateral() - handler.ghostPenalties();
        assertEq(s.collateral, expectedCollateral, "collateral = deposited - penalties (0 once closed)");
    }
}
