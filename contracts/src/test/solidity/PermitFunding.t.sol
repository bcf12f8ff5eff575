// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Vm} from "./Cheats.sol";
import {Intermediary} from "../../main/solidity/Intermediary.sol";
import {IntermediaryFactory} from "../../main/solidity/IntermediaryFactory.sol";
import {IntermediaryRelease2} from "../../main/solidity/IntermediaryRelease2.sol";
import {DemoUsd} from "../../main/solidity/DemoUsd.sol";
import {FeeToken} from "./Fixtures.sol";
import {Release2Fixture} from "./Release2Fixtures.sol";

/// Funding a channel in DemoUsd with one EIP-2612 permit and one transaction through the factory, on release 1
/// and release 2; the channel's accounting as with approve-then-deposit.
contract PermitFundingTest is Release2Fixture {
    uint256 internal constant DOLLAR = 1e6;
    bytes32 internal constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");
    uint256 internal constant MALLORY_KEY = 0xBAD;

    DemoUsd internal usd;
    address internal mallory = vm.addr(MALLORY_KEY);
    uint256 internal deadline;

    function setUp() public override {
        super.setUp();
        usd = new DemoUsd();
        vm.prank(owner);
        usd.faucet(1_000 * DOLLAR);
        deadline = block.timestamp + 1 hours;
    }

    /// A permit signed by `key` for `value` to the factory at its owner's current nonce.
    function _permit(uint256 key, uint256 value) internal view returns (uint8 v, bytes32 r, bytes32 s) {
        address who = vm.addr(key);
        bytes32 structHash =
            keccak256(abi.encode(PERMIT_TYPEHASH, who, address(factory), value, usd.nonces(who), deadline));
        return vm.sign(key, keccak256(abi.encodePacked("\x19\x01", usd.DOMAIN_SEPARATOR(), structHash)));
    }

    function _createWithPermit(uint256 amount) internal returns (Intermediary) {
        (uint8 v, bytes32 r, bytes32 s) = _permit(OWNER_KEY, amount);
        vm.prank(owner);
        return Intermediary(
            factory.createChannelWithPermit(
                _params(address(usd), _prices2(1000, 2500), _noSla()), amount, deadline, v, r, s
            )
        );
    }

    function _assertNothingLeftInTheFactory(address c) internal view {
        assertEq(usd.balanceOf(address(factory)), 0, "the factory holds nothing");
        assertEq(usd.allowance(owner, address(factory)), 0, "the permit's allowance is spent");
        assertEq(usd.allowance(address(factory), c), 0, "no allowance of the factory's is left");
    }

    function testACreatedChannelIsFundedWithOnePermitInOneTransaction() public {
        uint256 amount = 123_456_789; // 123.456789 demo dollars
        vm.recordLogs();
        Intermediary c = _createWithPermit(amount);

        assertEq(usd.balanceOf(owner), 1_000 * DOLLAR - amount, "the consumer paid exactly the amount");
        assertEq(usd.balanceOf(address(c)), amount, "the channel holds exactly the amount");
        Intermediary.State memory s = c.state();
        assertEq(s.unredeemed, amount, "deposit");
        assertEq(s.totalDeposited, amount, "total deposited");
        assertEq(usd.nonces(owner), 1, "one permit used");
        assertTrue(factory.isChannel(address(c)), "the factory's channel");
        (,,, address token,,) = c.parties();
        assertEq(token, address(usd), "a DemoUsd channel");
        // channels created now run release 2 (the fixture registered it last)
        assertEq(s.implementation, address(release2), "latest release");
        _assertNothingLeftInTheFactory(address(c));
        _assertBalanced(c);

        // ChannelCreated reports the deposit, and the channel's Deposited the amount
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bool created;
        bool deposited;
        for (uint256 i = 0; i < logs.length; i++) {
            if (logs[i].emitter == address(factory) && logs[i].topics[0] == IntermediaryFactory.ChannelCreated.selector)
            {
                assertEq(address(uint160(uint256(logs[i].topics[1]))), address(c), "ChannelCreated channel");
                (,, uint256 deposit) = abi.decode(logs[i].data, (address, address, uint256));
                assertEq(deposit, amount, "ChannelCreated deposit");
                created = true;
            }
            if (logs[i].emitter == address(c) && logs[i].topics[0] == Intermediary.Deposited.selector) {
                (uint256 depositedAmount, uint256 unredeemed) = abi.decode(logs[i].data, (uint256, uint256));
                assertEq(depositedAmount, amount, "Deposited amount");
                assertEq(unredeemed, amount, "Deposited unredeemed");
                deposited = true;
            }
        }
        assertTrue(created && deposited, "both events");
    }

    function testARelease1ChannelIsFundedWithAPermitToo() public {
        IntermediaryFactory f1 = new IntermediaryFactory(address(this));
        f1.registerRelease(address(implementation));
        uint256 amount = 42 * DOLLAR;
        address who = owner;
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, who, address(f1), amount, 0, deadline));
        (uint8 v, bytes32 r, bytes32 s) =
            vm.sign(OWNER_KEY, keccak256(abi.encodePacked("\x19\x01", usd.DOMAIN_SEPARATOR(), structHash)));
        vm.prank(owner);
        Intermediary c = Intermediary(
            f1.createChannelWithPermit(_params(address(usd), _prices2(1, 2), _noSla()), amount, deadline, v, r, s)
        );
        assertEq(c.state().implementation, address(implementation), "release 1");
        assertEq(c.state().unredeemed, amount, "deposit");
        assertEq(usd.balanceOf(address(c)), amount, "balance");
        assertEq(usd.balanceOf(owner), 1_000 * DOLLAR - amount, "paid");
        _assertBalanced(c);
    }

    function testATopUpWithAPermitAddsExactlyTheAmount() public {
        Intermediary c = _createWithPermit(10 * DOLLAR);
        (uint8 v, bytes32 r, bytes32 s) = _permit(OWNER_KEY, 2_500_001);
        vm.prank(owner);
        factory.depositWithPermit(address(c), 2_500_001, deadline, v, r, s);

        Intermediary.State memory st = c.state();
        assertEq(st.unredeemed, 12_500_001, "deposit after the top-up");
        assertEq(st.totalDeposited, 12_500_001, "total deposited");
        assertEq(usd.balanceOf(address(c)), 12_500_001, "channel balance");
        assertEq(usd.balanceOf(owner), 1_000 * DOLLAR - 12_500_001, "consumer balance");
        assertEq(usd.nonces(owner), 2, "two permits");
        _assertNothingLeftInTheFactory(address(c));
        _assertBalanced(c);
    }

    function testAFrontRunPermitNeitherFailsTheFundingNorStealsIt() public {
        uint256 amount = 77 * DOLLAR;
        vm.prank(owner);
        address other = factory.createChannel(_params(address(usd), _prices2(1, 2), _noSla()));
        (uint8 v, bytes32 r, bytes32 s) = _permit(OWNER_KEY, amount);
        // mallory saw the transaction in the mempool and submits its permit first
        vm.prank(mallory);
        usd.permit(owner, address(factory), amount, deadline, v, r, s);
        assertEq(usd.allowance(owner, address(factory)), amount, "the permit applied");
        // the allowance is the factory's to use for the owner alone: mallory's own call pulls from mallory
        vm.prank(mallory);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryFactory.PermitNotUsable.selector, 0, amount));
        factory.depositWithPermit(other, amount, deadline, v, r, s);
        vm.prank(mallory);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryFactory.PermitNotUsable.selector, 0, amount));
        factory.createChannelWithPermit(_params(address(usd), _prices2(1, 2), _noSla()), amount, deadline, v, r, s);

        // the consumer's own transaction still goes through on the allowance the permit left
        vm.prank(owner);
        Intermediary c = Intermediary(
            factory.createChannelWithPermit(
                _params(address(usd), _prices2(1000, 2500), _noSla()), amount, deadline, v, r, s
            )
        );
        assertEq(c.state().unredeemed, amount, "deposit");
        assertEq(usd.balanceOf(address(c)), amount, "channel balance");
        assertEq(usd.balanceOf(owner), 1_000 * DOLLAR - amount, "consumer paid once");
        assertEq(usd.balanceOf(mallory), 0, "mallory got nothing");
        _assertNothingLeftInTheFactory(address(c));
    }

    function testAPermitThatDoesNotApplyWithoutAllowanceIsRefused() public {
        uint256 amount = 5 * DOLLAR;
        (uint8 v, bytes32 r, bytes32 s) = _permit(MALLORY_KEY, amount); // signed by the wrong key
        Intermediary.Params memory p = _params(address(usd), _prices2(1, 2), _noSla());
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryFactory.PermitNotUsable.selector, 0, amount));
        factory.createChannelWithPermit(p, amount, deadline, v, r, s);

        (v, r, s) = _permit(OWNER_KEY, amount);
        vm.warp(deadline + 1); // expired
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryFactory.PermitNotUsable.selector, 0, amount));
        factory.createChannelWithPermit(p, amount, deadline, v, r, s);

        (v, r, s) = _permit(OWNER_KEY, amount - 1); // for less than the amount
        vm.warp(deadline);
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryFactory.PermitNotUsable.selector, 0, amount));
        factory.createChannelWithPermit(p, amount, deadline, v, r, s);
        assertEq(usd.balanceOf(owner), 1_000 * DOLLAR, "nothing moved");
    }

    function testAnAllowanceGivenBeforehandServesInsteadOfAPermit() public {
        vm.prank(owner);
        usd.approve(address(factory), 3 * DOLLAR);
        vm.prank(owner);
        Intermediary c = Intermediary(
            factory.createChannelWithPermit(
                _params(address(usd), _prices2(1, 2), _noSla()), 3 * DOLLAR, 0, 0, bytes32(0), bytes32(0)
            )
        );
        assertEq(c.state().unredeemed, 3 * DOLLAR, "deposit");
        _assertNothingLeftInTheFactory(address(c));
    }

    function testPermitEntryPointsRefuseEtherChannelsAndStrangers() public {
        (uint8 v, bytes32 r, bytes32 s) = _permit(OWNER_KEY, 1);
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryFactory.NotATokenChannel.selector, address(0)));
        factory.createChannelWithPermit(_params(address(0), _prices2(1, 2), _noSla()), 1, deadline, v, r, s);
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryFactory.NotATokenChannel.selector, address(ch)));
        factory.depositWithPermit(address(ch), 1, deadline, v, r, s);
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryFactory.NotAChannel.selector, address(usd)));
        factory.depositWithPermit(address(usd), 1, deadline, v, r, s);
    }

    function testAClosedChannelTakesNoTopUpAndTheConsumerKeepsTheTokens() public {
        Intermediary c = _createWithPermit(DOLLAR);
        vm.prank(payout);
        c.close();
        (uint8 v, bytes32 r, bytes32 s) = _permit(OWNER_KEY, DOLLAR);
        vm.prank(owner);
        vm.expectRevert(Intermediary.ChannelClosed.selector);
        factory.depositWithPermit(address(c), DOLLAR, deadline, v, r, s);
        assertEq(usd.balanceOf(owner), 1_000 * DOLLAR, "refunded on close, nothing taken since");
        assertEq(usd.balanceOf(address(factory)), 0, "the factory holds nothing");
    }

    function testAFeeOnTransferTokenIsRefusedByTheFactory() public {
        FeeToken fee = new FeeToken();
        fee.transfer(owner, 2000); // arrives as 1980
        vm.prank(owner);
        fee.approve(address(factory), 1000); // FeeToken has no permit: the allowance is what counts
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IntermediaryFactory.TokenDeliveredLess.selector, 1000, 990));
        factory.createChannelWithPermit(_params(address(fee), _prices2(1, 2), _noSla()), 1000, 0, 0, 0, 0);
    }

    function testProviderCollateralWithAPermit() public {
        vm.prank(owner);
        Intermediary c = Intermediary(factory.createChannel(_params(address(usd), _prices2(1, 2), _terms2(2, 600))));
        vm.prank(payout);
        usd.faucet(500 * DOLLAR);
        (uint8 v, bytes32 r, bytes32 s) = _permit(PAYOUT_KEY, 250 * DOLLAR);
        vm.prank(payout);
        factory.depositCollateralWithPermit(address(c), 250 * DOLLAR, deadline, v, r, s);
        assertEq(c.state().collateral, 250 * DOLLAR, "collateral");
        assertEq(c.state().unredeemed, 0, "not the consumer's deposit");
        assertEq(usd.balanceOf(payout), 250 * DOLLAR, "the provider paid exactly the amount");
        assertEq(usd.balanceOf(address(c)), 250 * DOLLAR, "channel balance");
        assertEq(usd.allowance(address(factory), address(c)), 0, "no allowance left");
        _assertBalanced(c);
    }

    function testApproveThenDepositStillWorksWithTheSixDecimalToken() public {
        vm.prank(owner);
        Intermediary c = Intermediary(factory.createChannel(_params(address(usd), _prices2(1, 2), _noSla())));
        vm.startPrank(owner);
        usd.approve(address(c), 9_999_999);
        c.deposit(9_999_999);
        vm.stopPrank();
        assertEq(c.state().unredeemed, 9_999_999, "deposit");
        assertEq(usd.balanceOf(address(c)), 9_999_999, "channel balance");
        assertEq(usd.balanceOf(owner), 1_000 * DOLLAR - 9_999_999, "consumer balance");
        _assertBalanced(c);
    }

    function testFuzzPermitFundingMatchesApproveThenDeposit(uint64 raw) public {
        uint256 amount = bound(raw, 0, 500 * DOLLAR);
        Intermediary viaPermit = _createWithPermit(amount);
        vm.startPrank(owner);
        Intermediary viaApprove =
            Intermediary(factory.createChannel(_params(address(usd), _prices2(1000, 2500), _noSla())));
        usd.approve(address(viaApprove), amount);
        viaApprove.deposit(amount);
        vm.stopPrank();
        Intermediary.State memory a = viaPermit.state();
        Intermediary.State memory b = viaApprove.state();
        assertEq(a.unredeemed, b.unredeemed, "deposit");
        assertEq(a.totalDeposited, b.totalDeposited, "total deposited");
        assertEq(usd.balanceOf(address(viaPermit)), usd.balanceOf(address(viaApprove)), "balances");
        assertEq(usd.balanceOf(owner), 1_000 * DOLLAR - 2 * amount, "consumer paid both");
    }
}
