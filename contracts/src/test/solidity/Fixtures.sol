// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {CheatTest} from "./Cheats.sol";
import {Intermediary} from "../../main/solidity/Intermediary.sol";
import {IntermediaryFactory} from "../../main/solidity/IntermediaryFactory.sol";

/// A token that keeps 1 % of every transfer: a channel must refuse deposits in it.
contract FeeToken is ERC20 {
    constructor() ERC20("Fee", "FEE") {
        _mint(msg.sender, 1e30);
    }

    function _update(address from, address to, uint256 amount) internal override {
        if (from != address(0) && to != address(0)) {
            uint256 fee = amount / 100;
            super._update(from, address(0xdead), fee);
            amount -= fee;
        }
        super._update(from, to, amount);
    }
}

/// A token that calls back into the channel during transfers, to try reentrancy.
contract ReentrantToken is ERC20 {
    Intermediary public target;
    bool public armed;

    constructor() ERC20("Re", "RE") {
        _mint(msg.sender, 1e30);
    }

    function arm(Intermediary channel) external {
        target = channel;
        armed = true;
    }

    function _update(address from, address to, uint256 amount) internal override {
        super._update(from, to, amount);
        if (armed && from == address(target)) {
            armed = false;
            target.withdraw(); // must revert: the guard is held
        }
    }
}

/// A payout contract that tries to withdraw again while being paid.
contract ReentrantPayout {
    Intermediary public channel;
    uint256 public received;
    uint256 public reentries;

    function point(Intermediary c) external {
        channel = c;
    }

    receive() external payable {
        received += msg.value;
        reentries++;
        if (reentries == 1) channel.withdraw();
    }
}

/// A test-only next release: same storage, one more function.
contract IntermediaryV2 is Intermediary {
    function version() external pure returns (uint256) {
        return 2;
    }
}

/// A factory, a release and one ether channel between fixed test keys; helpers to sign what parties sign.
abstract contract ChannelFixture is CheatTest {
    uint256 internal constant OWNER_KEY = 0xA11CE;
    uint256 internal constant SIGNER_KEY = 0x5161;
    uint256 internal constant PAYOUT_KEY = 0xB0B;
    uint256 internal constant OPERATOR_KEY = 0x0FE;
    uint256 internal constant MONITOR1_KEY = 0x3001;
    uint256 internal constant MONITOR2_KEY = 0x3002;
    uint256 internal constant MONITOR3_KEY = 0x3003;
    uint64 internal constant T_R = 60;
    uint64 internal constant T_C = 900;
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    address internal owner = vm.addr(OWNER_KEY);
    address internal signer = vm.addr(SIGNER_KEY);
    address internal payout = vm.addr(PAYOUT_KEY);
    address internal operator = vm.addr(OPERATOR_KEY);

    IntermediaryFactory internal factory;
    Intermediary internal implementation;
    Intermediary internal channel;

    function setUp() public virtual {
        implementation = new Intermediary();
        factory = new IntermediaryFactory(address(this));
        factory.registerRelease(address(implementation));
        vm.deal(owner, 100 ether);
        channel = _create(address(0), _prices2(1000, 2500), 1 ether, _noSla());
    }

    function _prices2(uint256 a, uint256 b) internal pure returns (uint256[] memory p) {
        p = new uint256[](2);
        p[0] = a;
        p[1] = b;
    }

    function _noSla() internal pure returns (Intermediary.Sla memory sla) {}

    function _params(address token, uint256[] memory prices, Intermediary.Sla memory sla)
        internal
        view
        returns (Intermediary.Params memory)
    {
        return Intermediary.Params({
            owner: owner,
            signer: signer,
            payout: payout,
            operator: operator,
            token: token,
            prices: prices,
            tolerance: T_R,
            closeDelay: T_C,
            sla: sla
        });
    }

    function _create(address token, uint256[] memory prices, uint256 value, Intermediary.Sla memory sla)
        internal
        returns (Intermediary)
    {
        vm.prank(owner);
        return Intermediary(factory.createChannel{value: value}(_params(token, prices, sla)));
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _voucher(Intermediary c, uint64 epoch, uint8 category, uint64 count)
        internal
        view
        returns (Intermediary.Redemption memory)
    {
        (, bytes32 tableHash) = c.pricesOf(epoch);
        bytes memory sig = _sign(SIGNER_KEY, c.voucherDigest(epoch, category, count, tableHash));
        return Intermediary.Redemption({category: category, count: count, claimed: count, signature: sig});
    }

    function _one(Intermediary.Redemption memory r) internal pure returns (Intermediary.Redemption[] memory a) {
        a = new Intermediary.Redemption[](1);
        a[0] = r;
    }

    function _two(Intermediary.Redemption memory r0, Intermediary.Redemption memory r1)
        internal
        pure
        returns (Intermediary.Redemption[] memory a)
    {
        a = new Intermediary.Redemption[](2);
        a[0] = r0;
        a[1] = r1;
    }

    function _startRedemption(Intermediary c, uint256[] memory next) internal {
        vm.prank(operator);
        c.startRedemption(next);
    }

    function _finish(Intermediary c, uint64 epoch, Intermediary.Redemption[] memory vouchers) internal {
        vm.warp(block.timestamp + T_R);
        vm.prank(operator);
        c.finishRedemption(epoch, vouchers);
    }

    function _balanceOf(Intermediary c) internal view returns (uint256) {
        (,,, address token,,) = c.parties();
        return token == address(0) ? address(c).balance : ERC20(token).balanceOf(address(c));
    }

    /// balance == unredeemed deposit + provider earnings + remaining collateral
    function _assertBalanced(Intermediary c) internal view {
        Intermediary.State memory s = c.state();
        assertEq(_balanceOf(c), s.unredeemed + s.earnings + s.collateral, "balance == deposit + earnings + collateral");
    }
}
