// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Intermediary} from "../../main/solidity/Intermediary.sol";
import {CheatTest} from "./Cheats.sol";
import {ChannelFixture} from "./Fixtures.sol";
import {IntermediaryRelease2} from "../../main/solidity/IntermediaryRelease2.sol";
import {Release2Fixture} from "./Release2Fixtures.sol";

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

/// Drives one release-2 channel with an SLA through random deposits, claims (by operator and payout, of any open
/// epoch, with any count up to the best voucher), epochs, signer rotations, monitor reports, settlements, close
/// requests, closes, collateral releases, withdrawals and time warps, keeping an observer's books.
contract Release2Handler is Release2Fixture {
    IntermediaryRelease2 public target;
    uint64 internal constant W = 100; // window
    uint64 internal constant P = 50; // report period
    uint256[3] internal monitorKeys = [MONITOR1_KEY, MONITOR2_KEY, MONITOR3_KEY];
    mapping(address signer => uint256 key) internal keyOf;
    mapping(uint64 epoch => uint64[2]) public signedCounts;
    uint256 internal nextSignerKey = 0x5170;

    uint256 public ghostDeposited;
    uint256 public ghostOwed; // Σ value of the counts claimed (before the deposit cap)
    uint256 public ghostClaimsPaid; // what claims moved into the earnings
    uint256 public ghostRefunded;
    uint256 public ghostWithdrawn;
    uint256 public ghostCollateralIn;
    uint256 public ghostPenaltiesToDeposit;
    uint256 public ghostPenaltiesToOwner;
    uint256 public ghostCollateralToEarnings; // at the close and when released
    uint256 public calls;
    string public broken; // set by a handler call that saw what must not happen (its reverts are ignored)

    constructor() {
        setUp();
        keyOf[signer] = SIGNER_KEY;
        Intermediary.Sla memory terms = _terms2(2, P);
        terms.windowLength = W;
        target = _create2(_prices2(1000, 2500), 1 ether, terms);
        ghostDeposited = 1 ether;
        vm.deal(payout, 1000 ether);
    }

    function _open() internal view returns (bool) {
        return !target.state().closed;
    }

    function deposit(uint96 amount) external {
        calls++;
        if (!_open()) return;
        amount = uint96(bound(amount, 1, 10 ether));
        vm.deal(owner, amount);
        vm.prank(owner);
        target.deposit{value: amount}(amount);
        ghostDeposited += amount;
    }

    function collateral(uint96 amount) external {
        calls++;
        if (!_open()) return;
        amount = uint96(bound(amount, 1, 1 ether));
        vm.prank(payout);
        target.depositCollateral{value: amount}(amount);
        ghostCollateralIn += amount;
    }

    /// The consumer's signer signs a better voucher in the active epoch (the gateway served more requests).
    function spend(uint8 category, uint32 requests) external {
        calls++;
        IntermediaryRelease2.State memory s = target.state();
        if (s.closed) return;
        signedCounts[s.activeEpoch][category % 2] += uint64(bound(requests, 1, 1_000_000));
    }

    /// Operator or payout claims some epoch's best vouchers, each category up to some count above the last.
    function claim(uint64 epochSeed, uint64 share, bool byPayout) external {
        calls++;
        IntermediaryRelease2.State memory s = target.state();
        if (s.closed) return;
        uint64 epoch = uint64(bound(epochSeed, 1, s.activeEpoch));
        (uint64[] memory claimed,) = target.redeemedCounts(epoch);
        (uint256[] memory prices,) = target.pricesOf(epoch);
        uint256 key = keyOf[target.signerOf(epoch)];
        IntermediaryRelease2.Redemption[] memory all = new IntermediaryRelease2.Redemption[](2);
        uint256 n;
        uint256 value;
        for (uint8 c = 0; c < 2; c++) {
            uint64 best = signedCounts[epoch][c];
            if (best <= claimed[c]) continue;
            uint64 upTo = uint64(bound(share, claimed[c] + 1, best));
            all[n++] = _vBy(key, target, epoch, c, best, upTo);
            value += uint256(upTo - claimed[c]) * prices[c];
        }
        if (n == 0) return;
        IntermediaryRelease2.Redemption[] memory vouchers = new IntermediaryRelease2.Redemption[](n);
        for (uint256 i = 0; i < n; i++) {
            vouchers[i] = all[i];
        }
        uint256 before = s.earnings;
        vm.prank(byPayout ? payout : operator);
        target.claim(epoch, vouchers);
        ghostOwed += value;
        ghostClaimsPaid += target.state().earnings - before;
    }

    function startEpoch(uint96 newPrice, bool same) external {
        calls++;
        IntermediaryRelease2.State memory s = target.state();
        if (s.closed || s.closeAt != 0 || block.timestamp < s.expiringUntil) return;
        uint256[] memory prices = same ? s.activePrices : _prices2(bound(newPrice, 0, 1e15), 2500);
        vm.prank(operator);
        target.startEpoch(prices);
    }

    function rotateSigner() external {
        calls++;
        if (!_open()) return;
        uint256 key = nextSignerKey++;
        keyOf[vm.addr(key)] = key;
        vm.prank(owner);
        target.rotateSigner(vm.addr(key));
    }

    /// One monitor reports on the window whose report period runs now (after a warp to the next window's end
    /// when none does).
    function report(uint8 monitor, uint16 availability) external {
        calls++;
        IntermediaryRelease2.Sla memory terms = target.slaTerms();
        if (block.timestamp < terms.start + W) vm.warp(terms.start + W);
        uint64 w = (uint64(block.timestamp) - terms.start) / W - 1;
        if (block.timestamp >= terms.start + (w + 1) * W + P) {
            w++;
            vm.warp(terms.start + (w + 1) * W);
        }
        (, uint256 mask, bool settled,,,) = target.windowReports(w);
        uint256 i = monitor % 3;
        if (settled || mask & (1 << i) != 0) return;
        uint32 bps = uint32(bound(availability, 0, 10_000));
        try target.addReports(w, _reps(_rep(target, monitorKeys[i], w, bps))) {}
        catch (bytes memory reason) {
            // only a window that ends after the close may refuse a fresh report
            if (bytes4(reason) != IntermediaryRelease2.WindowAfterClose.selector) broken = "a fresh report refused";
        }
    }

    /// Settles the latest windows that can be settled.
    function settle() external {
        calls++;
        IntermediaryRelease2.Sla memory terms = target.slaTerms();
        if (block.timestamp < terms.start + W) return;
        uint64 last = (uint64(block.timestamp) - terms.start) / W - 1;
        for (uint64 w = last; w + 2 > last && w <= last; w--) {
            IntermediaryRelease2.State memory s = target.state();
            uint256 ownerBefore = owner.balance;
            try target.settleWindow(w) {
                uint256 paid = s.collateral - target.state().collateral;
                if (s.closed) {
                    ghostPenaltiesToOwner += paid;
                    if (owner.balance - ownerBefore != paid) broken = "a penalty after the close missed the owner";
                } else {
                    ghostPenaltiesToDeposit += paid;
                }
            } catch {}
            if (w == 0) break;
        }
    }

    /// Rarely: a close ends the channel's life, and a run should see much of it first.
    function requestClose(uint8 seed) external {
        calls++;
        IntermediaryRelease2.State memory s = target.state();
        if (seed % 4 != 0 || s.closed || s.closeAt != 0) return;
        vm.prank(owner);
        target.requestClose();
    }

    function close(bool byOwner, uint8 seed) external {
        calls++;
        IntermediaryRelease2.State memory s = target.state();
        if (seed % 12 != 0 || s.closed) return;
        if (byOwner) {
            if (s.closeAt == 0) return;
            if (block.timestamp < s.closeAt) vm.warp(s.closeAt);
        }
        uint256 before = owner.balance;
        vm.prank(byOwner ? owner : payout);
        target.close();
        ghostRefunded += owner.balance - before;
        ghostCollateralToEarnings += target.state().earnings - s.earnings;
    }

    function releaseCollateral() external {
        calls++;
        IntermediaryRelease2.State memory s = target.state();
        if (!s.closed || s.collateral == 0) return;
        try target.releaseCollateral() {
            ghostCollateralToEarnings += s.collateral;
        } catch {}
    }

    function withdraw() external {
        calls++;
        uint256 amount = target.state().earnings;
        if (amount == 0) return;
        target.withdraw();
        ghostWithdrawn += amount;
    }

    function warp(uint32 seconds_) external {
        calls++;
        vm.warp(block.timestamp + bound(seconds_, 1, 2 * W));
    }
}

/// The selectors the fuzzer calls on a handler (forge's FuzzSelector).
struct FuzzSelector {
    address addr;
    bytes4[] selectors;
}

contract IntermediaryRelease2InvariantTest is CheatTest {
    Release2Handler internal handler;

    function setUp() public {
        handler = new Release2Handler();
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](14);
        selectors[0] = Release2Handler.deposit.selector;
        selectors[1] = Release2Handler.collateral.selector;
        selectors[2] = Release2Handler.spend.selector;
        selectors[3] = Release2Handler.claim.selector;
        selectors[4] = Release2Handler.startEpoch.selector;
        selectors[5] = Release2Handler.rotateSigner.selector;
        selectors[6] = Release2Handler.report.selector;
        selectors[7] = Release2Handler.settle.selector;
        selectors[8] = Release2Handler.requestClose.selector;
        selectors[9] = Release2Handler.close.selector;
        selectors[10] = Release2Handler.releaseCollateral.selector;
        selectors[11] = Release2Handler.withdraw.selector;
        selectors[12] = Release2Handler.warp.selector;
        selectors[13] = Release2Handler.spend.selector; // spending is the common case
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector({addr: address(handler), selectors: selectors});
    }

    /// balance == unredeemed deposit + earnings + collateral (held collateral included), after every call, and
    /// every wei is accounted for on each side
    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 200
    function invariant_release2BalanceAndBooks() public view {
        IntermediaryRelease2 c = handler.target();
        IntermediaryRelease2.State memory s = c.state();
        assertEq(address(c).balance, s.unredeemed + s.earnings + s.collateral, "balance");
        assertEq(
            s.unredeemed + handler.ghostRefunded() + handler.ghostClaimsPaid(),
            handler.ghostDeposited() + handler.ghostPenaltiesToDeposit(),
            "the consumer's money"
        );
        assertEq(
            s.earnings + handler.ghostWithdrawn(),
            handler.ghostClaimsPaid() + handler.ghostCollateralToEarnings(),
            "the provider's money"
        );
        assertEq(
            s.collateral + handler.ghostPenaltiesToDeposit() + handler.ghostPenaltiesToOwner()
                + handler.ghostCollateralToEarnings(),
            handler.ghostCollateralIn(),
            "the collateral"
        );
        assertTrue(handler.ghostClaimsPaid() <= handler.ghostOwed(), "paid <= the value of the counts claimed");
        assertTrue(bytes(handler.broken()).length == 0, handler.broken());
    }

    /// no epoch's claimed count exceeds what the signer signed
    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 200
    function invariant_release2ClaimedNeverExceedsSigned() public view {
        IntermediaryRelease2 c = handler.target();
        uint64 active = c.state().activeEpoch;
        for (uint64 e = 1; e <= active; e++) {
            (uint64[] memory claimed,) = c.redeemedCounts(e);
            for (uint256 k = 0; k < claimed.length && k < 2; k++) {
                assertTrue(claimed[k] <= handler.signedCounts(e, k), "claimed <= signed");
            }
        }
    }
}
