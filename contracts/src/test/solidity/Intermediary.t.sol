// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {Intermediary} from "../../main/solidity/Intermediary.sol";
import {IntermediaryFactory} from "../../main/solidity/IntermediaryFactory.sol";
import {DemoToken} from "../../main/solidity/DemoToken.sol";
import {ChannelFixture, FeeToken, IntermediaryV2, ReentrantPayout, ReentrantToken} from "./Fixtures.sol";

contract IntermediaryTest is ChannelFixture {
    // ------------------------------------------------------------------------------------------- creation

    function testCreationFundsTheChannelAndOpensEpochOne() public view {
        Intermediary.State memory s = channel.state();
        assertEq(s.activeEpoch, 1, "active epoch");
        assertEq(s.unredeemed, 1 ether, "deposit");
        assertEq(s.totalDeposited, 1 ether, "total deposited");
        assertEq(s.signer, signer, "signer");
        assertEq(s.operator, operator, "operator");
        assertEq(s.implementation, address(implementation), "implementation");
        assertEq(s.activePriceTableHash, keccak256(abi.encodePacked(uint256(1000), uint256(2500))), "table hash");
        assertEq(channel.priceTableHash(_prices2(1000, 2500)), s.activePriceTableHash, "view hash");
        assertTrue(factory.isChannel(address(channel)), "factory knows its channel");
        _assertBalanced(channel);
    }

    function testCreationRefusesBadTerms() public {
        Intermediary.Params memory p = _params(address(0), new uint256[](0), _noSla());
        vm.expectRevert(abi.encodeWithSelector(Intermediary.BadPriceTable.selector, 0));
        factory.createChannel(p);

        p = _params(address(0), new uint256[](17), _noSla());
        vm.expectRevert(abi.encodeWithSelector(Intermediary.BadPriceTable.selector, 17));
        factory.createChannel(p);

        p = _params(address(0), _prices2(1, 2), _noSla());
        p.closeDelay = 2 * T_R;
        vm.expectRevert(abi.encodeWithSelector(Intermediary.BadTimes.selector, T_R, 2 * T_R));
        factory.createChannel(p);

        p = _params(address(0), _prices2(1, 2), _noSla());
        p.signer = address(0);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.ZeroAddress.selector, "signer"));
        factory.createChannel(p);

        p = _params(address(new DemoToken()), _prices2(1, 2), _noSla());
        vm.expectRevert(abi.encodeWithSelector(Intermediary.WrongValue.selector, 0, 1));
        factory.createChannel{value: 1}(p);
    }

    function testFactoryNeedsARegisteredRelease() public {
        IntermediaryFactory empty = new IntermediaryFactory(address(this));
        vm.expectRevert(IntermediaryFactory.NoRelease.selector);
        empty.createChannel(_params(address(0), _prices2(1, 2), _noSla()));
        vm.expectRevert(abi.encodeWithSelector(IntermediaryFactory.AlreadyRegistered.selector, address(implementation)));
        factory.registerRelease(address(implementation));
        vm.expectRevert(abi.encodeWithSelector(IntermediaryFactory.NotAContract.selector, address(0xbeef)));
        factory.registerRelease(address(0xbeef));
    }

    function testTheImplementationCannotBeInitialisedDirectly() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize(_params(address(0), _prices2(1, 2), _noSla()), address(factory));
    }

    function testAChannelCannotBeInitialisedTwice() public {
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        channel.initialize(_params(address(0), _prices2(1, 2), _noSla()), address(factory));
    }

    // -------------------------------------------------------------------------------------------- deposits

    function testDepositAddsEtherAndRefusesAWrongValue() public {
        vm.prank(owner);
        channel.deposit{value: 2 ether}(2 ether);
        assertEq(channel.state().unredeemed, 3 ether, "deposit");
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.WrongValue.selector, 5, 4));
        channel.deposit{value: 4}(5);
        _assertBalanced(channel);
    }

    function testTokenChannelTakesTokensAndRefusesOneThatDeliversLess() public {
        DemoToken token = new DemoToken();
        Intermediary tokenChannel = _create(address(token), _prices2(1000, 2500), 0, _noSla());
        vm.startPrank(owner);
        token.faucet(10 ether);
        token.approve(address(tokenChannel), 10 ether);
        tokenChannel.deposit(4 ether);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.WrongValue.selector, 0, 1));
        tokenChannel.deposit{value: 1}(1 ether);
        vm.stopPrank();
        assertEq(tokenChannel.state().unredeemed, 4 ether, "token deposit");
        _assertBalanced(tokenChannel);

        FeeToken fee = new FeeToken();
        Intermediary feeChannel = _create(address(fee), _prices2(1, 1), 0, _noSla());
        fee.transfer(owner, 2000); // the owner receives 1980 after the fee
        vm.startPrank(owner);
        fee.approve(address(feeChannel), 1000);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.TokenDeliveredLess.selector, 1000, 990));
        feeChannel.deposit(1000);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------------------------------ redemption

    function testRedemptionPaysTheBestVouchersAndKeepsTheCounts() public {
        Intermediary.Redemption[] memory vouchers = _two(_voucher(channel, 1, 0, 7), _voucher(channel, 1, 1, 3));
        _startRedemption(channel, _prices2(1100, 2500));
        Intermediary.State memory s = channel.state();
        assertEq(s.activeEpoch, 2, "new epoch");
        assertEq(s.expiringEpoch, 1, "expiring epoch");
        assertEq(s.expiringUntil, block.timestamp + T_R, "tolerance end");

        _finish(channel, 1, vouchers);
        s = channel.state();
        uint256 value = 7 * 1000 + 3 * 2500;
        assertEq(s.earnings, value, "earnings");
        assertEq(s.unredeemed, 1 ether - value, "unredeemed");
        (uint64[] memory counts, bool redeemed) = channel.redeemedCounts(1);
        assertEq(counts[0], 7, "count 0");
        assertEq(counts[1], 3, "count 1");
        assertTrue(redeemed, "redeemed");
        _assertBalanced(channel);

        uint256 before = payout.balance;
        channel.withdraw();
        assertEq(payout.balance - before, value, "payout paid exactly");
        vm.expectRevert(Intermediary.NothingToWithdraw.selector);
        channel.withdraw();
        _assertBalanced(channel);
    }

    function testAClaimBelowTheSignedCountPaysTheClaim() public {
        Intermediary.Redemption memory v = _voucher(channel, 1, 0, 10);
        v.claimed = 4;
        _startRedemption(channel, _prices2(1000, 2500));
        _finish(channel, 1, _one(v));
        assertEq(channel.state().earnings, 4000, "claimed value");

        Intermediary.Redemption memory above = _voucher(channel, 2, 0, 10);
        above.claimed = 11;
        _startRedemption(channel, _prices2(1000, 2500));
        vm.warp(block.timestamp + T_R);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.ClaimAboveCount.selector, 11, 10));
        channel.finishRedemption(2, _one(above));
    }

    function testRedemptionIsCappedAtTheUnredeemedDeposit() public {
        Intermediary small = _create(address(0), _prices2(1 ether, 1), 1.5 ether, _noSla());
        Intermediary.Redemption memory v = _voucher(small, 1, 0, 3);
        _startRedemption(small, _prices2(1 ether, 1));
        _finish(small, 1, _one(v));
        Intermediary.State memory s = small.state();
        assertEq(s.earnings, 1.5 ether, "capped at the deposit");
        assertEq(s.unredeemed, 0, "nothing left");
        _assertBalanced(small);
    }

    function testRedemptionBeforeTheToleranceEndsReverts() public {
        _startRedemption(channel, _prices2(1000, 2500));
        Intermediary.Redemption[] memory vouchers = _one(_voucher(channel, 1, 0, 1));
        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(
                Intermediary.ToleranceNotOver.selector, uint64(block.timestamp + T_R), uint64(block.timestamp)
            )
        );
        channel.finishRedemption(1, vouchers);
    }

    function testAnEpochIsRedeemedOnce() public {
        Intermediary.Redemption[] memory vouchers = _one(_voucher(channel, 1, 0, 5));
        _startRedemption(channel, _prices2(1000, 2500));
        _finish(channel, 1, vouchers);
        vm.prank(operator);
        vm.expectRevert(Intermediary.NoRedemption.selector);
        channel.finishRedemption(1, vouchers);
        _startRedemption(channel, _prices2(1000, 2500));
        vm.warp(block.timestamp + T_R);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.WrongEpoch.selector, 2, 1));
        channel.finishRedemption(1, vouchers);
    }

    function testVouchersOfAPastOrFutureEpochAreRefused() public {
        _startRedemption(channel, _prices2(1000, 2500));
        vm.warp(block.timestamp + T_R);
        // a voucher for epoch 2 (active, not expiring) cannot redeem epoch 1's slot
        Intermediary.Redemption[] memory future = _one(_voucher(channel, 2, 0, 5));
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.WrongEpoch.selector, 1, 2));
        channel.finishRedemption(2, future);
        // nor can an epoch-2 signature be passed off as epoch 1
        vm.prank(operator);
        vm.expectPartialRevert(Intermediary.WrongSigner.selector);
        channel.finishRedemption(1, future);
    }

    function testOnlyOneRedemptionRunsAtATime() public {
        _startRedemption(channel, _prices2(1000, 2500));
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.RedemptionInProgress.selector, 1));
        channel.startRedemption(_prices2(1000, 2500));
    }

    function testANewEpochNeedsAPriceTable() public {
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.BadPriceTable.selector, 0));
        channel.startRedemption(new uint256[](0));
    }

    function testOneVoucherPerCategoryAndOnlyKnownCategories() public {
        Intermediary.Redemption[] memory twice = _two(_voucher(channel, 1, 0, 5), _voucher(channel, 1, 0, 6));
        Intermediary.Redemption[] memory unknown = _one(_voucher(channel, 1, 2, 1));
        _startRedemption(channel, _prices2(1000, 2500));
        vm.warp(block.timestamp + T_R);
        vm.startPrank(operator);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.DuplicateCategory.selector, 0));
        channel.finishRedemption(1, twice);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.UnknownCategory.selector, 2, 2));
        channel.finishRedemption(1, unknown);
        vm.stopPrank();
    }

    function testOnlyTheOperatorRedeems() public {
        vm.expectRevert(abi.encodeWithSelector(Intermediary.NotOperator.selector, address(this)));
        channel.startRedemption(_prices2(1, 2));
        vm.expectRevert(abi.encodeWithSelector(Intermediary.NotOperator.selector, address(this)));
        channel.finishRedemption(1, new Intermediary.Redemption[](0));
        vm.prank(operator);
        vm.expectRevert(Intermediary.NoRedemption.selector);
        channel.finishRedemption(1, new Intermediary.Redemption[](0));
    }

    // ------------------------------------------------------------------------------------ forged vouchers

    function testAVoucherOfAnotherChannelIsRefused() public {
        Intermediary other = _create(address(0), _prices2(1000, 2500), 1 ether, _noSla());
        Intermediary.Redemption memory foreign = _voucher(other, 1, 0, 5);
        _startRedemption(channel, _prices2(1000, 2500));
        vm.warp(block.timestamp + T_R);
        vm.prank(operator);
        vm.expectPartialRevert(Intermediary.WrongSigner.selector);
        channel.finishRedemption(1, _one(foreign));
    }

    function testAVoucherSignedForAnotherChainIsRefused() public {
        uint256 home = block.chainid;
        vm.chainId(home + 1);
        Intermediary.Redemption memory elsewhere = _voucher(channel, 1, 0, 5);
        vm.chainId(home);
        _startRedemption(channel, _prices2(1000, 2500));
        vm.warp(block.timestamp + T_R);
        vm.prank(operator);
        vm.expectPartialRevert(Intermediary.WrongSigner.selector);
        channel.finishRedemption(1, _one(elsewhere));
    }

    function testAHighSSignatureIsRefused() public {
        Intermediary.Redemption memory v = _voucher(channel, 1, 0, 5);
        bytes memory sig = v.signature;
        bytes32 r;
        bytes32 s;
        uint8 recid;
        assembly {
            r := mload(add(sig, 32))
            s := mload(add(sig, 64))
            recid := byte(0, mload(add(sig, 96)))
        }
        bytes32 highS = bytes32(SECP256K1_N - uint256(s));
        v.signature = abi.encodePacked(r, highS, recid == 27 ? uint8(28) : uint8(27));
        _startRedemption(channel, _prices2(1000, 2500));
        vm.warp(block.timestamp + T_R);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureS.selector, highS));
        channel.finishRedemption(1, _one(v));
    }

    function testASignatureRecoveringToNoAddressIsRefused() public {
        Intermediary.Redemption memory v = _voucher(channel, 1, 0, 5);
        v.signature = abi.encodePacked(bytes32(0), bytes32(uint256(1)), uint8(27)); // r = 0: ecrecover gives address(0)
        _startRedemption(channel, _prices2(1000, 2500));
        vm.warp(block.timestamp + T_R);
        vm.prank(operator);
        vm.expectRevert(ECDSA.ECDSAInvalidSignature.selector);
        channel.finishRedemption(1, _one(v));
    }

    function testTheFactoryListsItsReleasesInOrder() public {
        IntermediaryV2 v2 = new IntermediaryV2();
        factory.registerRelease(address(v2));
        address[] memory all = factory.releases();
        assertEq(all.length, 2, "two releases");
        assertEq(all[0], address(implementation), "first");
        assertEq(factory.latestRelease(), address(v2), "latest");
        assertTrue(factory.isRelease(address(v2)) && !factory.isRelease(address(this)), "registry");
        vm.prank(owner);
        Intermediary onV2 = Intermediary(factory.createChannel(_params(address(0), _prices2(1, 2), _noSla())));
        assertEq(onV2.state().implementation, address(v2), "new channels use the latest release");
        (address f, address o, address p, address t, uint64 tr, uint64 tc) = onV2.parties();
        assertTrue(f == address(factory) && o == owner && p == payout && t == address(0), "parties");
        assertEq(tr, T_R, "T_r");
        assertEq(tc, T_C, "T_c");
    }

    function testAVoucherByAnotherKeyIsRefused() public {
        Intermediary.Redemption memory v = _voucher(channel, 1, 0, 5);
        (, bytes32 tableHash) = channel.pricesOf(1);
        v.signature = _sign(OWNER_KEY, channel.voucherDigest(1, 0, 5, tableHash));
        _startRedemption(channel, _prices2(1000, 2500));
        vm.warp(block.timestamp + T_R);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.WrongSigner.selector, owner, signer));
        channel.finishRedemption(1, _one(v));
    }

    // --------------------------------------------------------------------------------------------- closing

    function testOwnerClosesAfterTheDelayAndGetsTheRestBack() public {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.CloseNotDue.selector, 0, uint64(block.timestamp)));
        channel.close();
        vm.prank(owner);
        channel.requestClose();
        uint64 closeAt = uint64(block.timestamp) + T_C;
        assertEq(channel.state().closeAt, closeAt, "close time");
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.CloseAlreadyRequested.selector, closeAt));
        channel.requestClose();
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.CloseNotDue.selector, closeAt, uint64(block.timestamp)));
        channel.close();

        vm.warp(closeAt);
        uint256 before = owner.balance;
        vm.prank(owner);
        channel.close();
        assertEq(owner.balance - before, 1 ether, "refund");
        assertTrue(channel.state().closed, "closed");
        _assertBalanced(channel);
        vm.prank(owner);
        vm.expectRevert(Intermediary.ChannelClosed.selector);
        channel.deposit{value: 1}(1);
    }

    function testOnlyTheOwnerRequestsCloseAndOnlyPartiesClose() public {
        vm.expectRevert(abi.encodeWithSelector(Intermediary.NotOwner.selector, address(this)));
        channel.requestClose();
        vm.expectRevert(abi.encodeWithSelector(Intermediary.NotOwnerOrPayout.selector, address(this)));
        channel.close();
    }

    function testPayoutClosesAtAnyTimeAndKeepsItsEarnings() public {
        Intermediary.Redemption[] memory vouchers = _one(_voucher(channel, 1, 1, 4));
        _startRedemption(channel, _prices2(1000, 2500));
        _finish(channel, 1, vouchers);
        uint256 ownerBefore = owner.balance;
        vm.prank(payout);
        channel.close();
        assertEq(owner.balance - ownerBefore, 1 ether - 10_000, "refund");
        assertEq(channel.state().earnings, 10_000, "earnings stay");
        channel.withdraw();
        assertEq(payout.balance, 10_000, "payout");
        _assertBalanced(channel);
    }

    function testACloseRequestStopsNewEpochsAndTheLastOneIsRedeemedInTime() public {
        // requestClose races a started redemption: epoch 1 expiring, epoch 2 active
        Intermediary.Redemption[] memory first = _one(_voucher(channel, 1, 0, 10));
        _startRedemption(channel, _prices2(1000, 2500));
        vm.prank(owner);
        channel.requestClose();
        _finish(channel, 1, first);

        Intermediary.Redemption[] memory last = _one(_voucher(channel, 2, 0, 20));
        _startRedemption(channel, _prices2(9999, 9999)); // no epoch 3: epoch 2 is the last
        Intermediary.State memory s = channel.state();
        assertEq(s.activeEpoch, 2, "no new epoch");
        assertTrue(s.lastEpochStarted, "last epoch");
        _finish(channel, 2, last);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.LastEpochAlreadyStarted.selector, 2));
        channel.startRedemption(_prices2(1, 1));

        vm.warp(s.closeAt);
        vm.prank(owner);
        channel.close();
        assertEq(channel.state().earnings, 30_000, "both epochs paid");
        assertEq(owner.balance, 100 ether - 30_000, "owner got the rest back");
        _assertBalanced(channel);
    }

    // ------------------------------------------------------------------------------------------- rotations

    function testARotatedSignerSignsFromTheNextEpochOn() public {
        uint256 newKey = 0x5162;
        vm.prank(owner);
        channel.rotateSigner(vm.addr(newKey));
        assertEq(channel.state().signer, signer, "still the old signer");
        Intermediary.Redemption[] memory old = _one(_voucher(channel, 1, 0, 2));
        _startRedemption(channel, _prices2(1000, 2500));
        assertEq(channel.signerOf(2), vm.addr(newKey), "new signer in epoch 2");
        _finish(channel, 1, old);

        (, bytes32 tableHash) = channel.pricesOf(2);
        Intermediary.Redemption memory fresh =
            Intermediary.Redemption(0, 3, 3, _sign(newKey, channel.voucherDigest(2, 0, 3, tableHash)));
        _startRedemption(channel, _prices2(1000, 2500));
        _finish(channel, 2, _one(fresh));
        assertEq(channel.state().earnings, 5000, "both signers' vouchers paid in their epochs");

        vm.expectRevert(abi.encodeWithSelector(Intermediary.NotOwner.selector, address(this)));
        channel.rotateSigner(address(1));
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.ZeroAddress.selector, "signer"));
        channel.rotateSigner(address(0));
    }

    function testARotatedOperatorActsFromTheNextEpochOn() public {
        address next = address(0x0FF);
        vm.prank(payout);
        channel.rotateOperator(next);
        _startRedemption(channel, _prices2(1000, 2500));
        assertEq(channel.state().operator, next, "operator rotated with the epoch");
        vm.warp(block.timestamp + T_R);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.NotOperator.selector, operator));
        channel.finishRedemption(1, new Intermediary.Redemption[](0));
        vm.prank(next);
        channel.finishRedemption(1, new Intermediary.Redemption[](0));
        vm.expectRevert(abi.encodeWithSelector(Intermediary.NotPayout.selector, address(this)));
        channel.rotateOperator(address(1));
    }

    // -------------------------------------------------------------------------------------------- upgrades

    function _consents(address impl, uint256 deadline) internal view returns (bytes memory, bytes memory) {
        bytes32 digest = channel.upgradeConsentDigest(impl, channel.upgradeNonce(), deadline);
        return (_sign(OWNER_KEY, digest), _sign(PAYOUT_KEY, digest));
    }

    function testAnUpgradeWithBothConsentsKeepsTheState() public {
        Intermediary.Redemption[] memory vouchers = _one(_voucher(channel, 1, 0, 9));
        _startRedemption(channel, _prices2(1000, 2500));
        _finish(channel, 1, vouchers);
        IntermediaryV2 v2 = new IntermediaryV2();
        factory.registerRelease(address(v2));
        (bytes memory byOwner, bytes memory byPayout) = _consents(address(v2), block.timestamp + 1 hours);
        channel.upgradeWithConsent(address(v2), "", block.timestamp + 1 hours, byOwner, byPayout);

        assertEq(IntermediaryV2(address(channel)).version(), 2, "runs V2");
        Intermediary.State memory s = channel.state();
        assertEq(s.implementation, address(v2), "implementation slot");
        assertEq(s.activeEpoch, 2, "epoch kept");
        assertEq(s.earnings, 9000, "earnings kept");
        assertEq(s.unredeemed, 1 ether - 9000, "deposit kept");
        assertEq(channel.upgradeNonce(), 1, "nonce used");
        _assertBalanced(channel);
        // the consents cannot be replayed
        vm.expectPartialRevert(Intermediary.BadConsent.selector);
        channel.upgradeWithConsent(address(v2), "", block.timestamp + 1 hours, byOwner, byPayout);
    }

    function testAnUpgradeNeedsBothPartiesAndARegisteredRelease() public {
        IntermediaryV2 v2 = new IntermediaryV2();
        uint256 deadline = block.timestamp + 1 hours;
        (bytes memory byOwner, bytes memory byPayout) = _consents(address(v2), deadline);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.NotARelease.selector, address(v2)));
        channel.upgradeWithConsent(address(v2), "", deadline, byOwner, byPayout);

        factory.registerRelease(address(v2));
        vm.expectRevert(abi.encodeWithSelector(Intermediary.BadConsent.selector, owner, payout));
        channel.upgradeWithConsent(address(v2), "", deadline, byOwner, byOwner);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.BadConsent.selector, payout, owner));
        channel.upgradeWithConsent(address(v2), "", deadline, byPayout, byPayout);
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.ConsentExpired.selector, deadline));
        channel.upgradeWithConsent(address(v2), "", deadline, byOwner, byPayout);
    }

    // ------------------------------------------------------------------------------------------ reentrancy

    function testAPayoutContractCannotWithdrawTwice() public {
        ReentrantPayout attacker = new ReentrantPayout();
        Intermediary.Params memory p = _params(address(0), _prices2(1000, 2500), _noSla());
        p.payout = address(attacker);
        vm.prank(owner);
        Intermediary victim = Intermediary(factory.createChannel{value: 1 ether}(p));
        attacker.point(victim);
        Intermediary.Redemption[] memory vouchers = _one(_voucher(victim, 1, 0, 5));
        _startRedemption(victim, _prices2(1000, 2500));
        _finish(victim, 1, vouchers);
        vm.expectRevert(abi.encodeWithSelector(Intermediary.TransferFailed.selector, address(attacker), 5000));
        victim.withdraw();
        assertEq(victim.state().earnings, 5000, "earnings intact");
        _assertBalanced(victim);
    }

    function testAMaliciousTokenCannotReenter() public {
        ReentrantToken token = new ReentrantToken();
        Intermediary tokenChannel = _create(address(token), _prices2(1000, 2500), 0, _noSla());
        token.transfer(owner, 1 ether);
        vm.startPrank(owner);
        token.approve(address(tokenChannel), 1 ether);
        tokenChannel.deposit(1 ether);
        vm.stopPrank();
        Intermediary.Redemption[] memory vouchers = _one(_voucher(tokenChannel, 1, 0, 5));
        _startRedemption(tokenChannel, _prices2(1000, 2500));
        _finish(tokenChannel, 1, vouchers);
        token.arm(tokenChannel);
        vm.expectRevert();
        tokenChannel.withdraw();
        assertEq(tokenChannel.state().earnings, 5000, "earnings intact");
        assertEq(token.balanceOf(payout), 0, "nothing paid twice");
        _assertBalanced(tokenChannel);
    }

    // ------------------------------------------------------------------------------------------------- fuzz

    function testFuzzRedemptionPaysExactlyTheVouchersUpToTheDeposit(
        uint64 count0,
        uint64 count1,
        uint96 price0,
        uint96 price1,
        uint96 funds
    ) public {
        vm.deal(owner, uint256(funds) + 1 ether);
        Intermediary c = _create(address(0), _prices2(price0, price1), funds, _noSla());
        Intermediary.Redemption[] memory vouchers = _two(_voucher(c, 1, 0, count0), _voucher(c, 1, 1, count1));
        _startRedemption(c, _prices2(price0, price1));
        _finish(c, 1, vouchers);
        uint256 owed = uint256(count0) * price0 + uint256(count1) * price1;
        uint256 paid = owed < funds ? owed : funds;
        Intermediary.State memory s = c.state();
        assertEq(s.earnings, paid, "earnings = min(value, deposit)");
        assertEq(s.unredeemed, uint256(funds) - paid, "rest stays the consumer's");
        _assertBalanced(c);
    }
}
