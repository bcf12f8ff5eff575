// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IReleaseRegistry} from "./IReleaseRegistry.sol";
import {Intermediary} from "./Intermediary.sol";
import {IntermediaryRelease2} from "./IntermediaryRelease2.sol";

/// @title IntermediaryFactory
/// @notice Creates one Intermediary channel per subscription as an ERC-1967 proxy to the latest registered
/// release, and keeps the append-only release list that channels may upgrade to (with both parties' consent).
/// The consumer calls {createChannel} and pays for it; ether sent along is the first deposit. A channel in an
/// EIP-2612 token can be created and funded in one transaction with the consumer's permit
/// ({createChannelWithPermit}), and topped up so ({depositWithPermit}, {depositCollateralWithPermit}).
/// @dev The permit entry points leave the channels' code alone: a channel pulls its token from `msg.sender`, so the
/// factory takes the amount from the caller (its permit names the factory as spender), approves the channel for
/// exactly that amount and calls the channel's own `deposit` / `depositCollateral`. The channel's accounting is as
/// for approve-then-deposit; its {Intermediary-Deposited} / {Intermediary-CollateralDeposited} event names the
/// factory as `from`. The factory holds no tokens between transactions and pulls only from the caller.
contract IntermediaryFactory is IReleaseRegistry, Ownable2Step {
    using SafeERC20 for IERC20;

    address[] private _releases;
    mapping(address implementation => bool) private _isRelease;
    mapping(address channel => bool) private _isChannel;

    error NoRelease();
    error AlreadyRegistered(address implementation);
    error NotAContract(address implementation);
    error NotAChannel(address channel);
    /// @notice A permit entry point was called for an ether channel (or with `token` = 0).
    error NotATokenChannel(address channel);
    /// @notice The permit did not apply (bad signature, expired, …) and the caller's allowance to the factory,
    /// perhaps from the same permit submitted by someone else first, is below the amount.
    error PermitNotUsable(uint256 allowance, uint256 amount);
    /// @notice The token moved less into the factory than asked (a fee-on-transfer token).
    error TokenDeliveredLess(uint256 asked, uint256 received);

    /// @notice One channel's claim in a {claimMany} batch.
    struct ClaimCall {
        address channel;
        uint64 epoch;
        IntermediaryRelease2.Redemption[] vouchers;
    }

    event ReleaseRegistered(address indexed implementation, uint256 index, bytes32 codeHash);
    event ChannelCreated(
        address indexed channel,
        address indexed owner,
        address indexed payout,
        address implementation,
        address token,
        uint256 deposit
    );

    /// @notice A claim of a {claimMany} batch reverted (the others went on); `reason` is its revert data.
    event ClaimFailed(address indexed channel, uint64 epoch, bytes reason);

    constructor(address admin) Ownable(admin) {}

    /// @notice Admin: appends `implementation` to the release list; releases are never removed.
    /// Emits {ReleaseRegistered}.
    function registerRelease(address implementation) external onlyOwner {
        if (_isRelease[implementation]) revert AlreadyRegistered(implementation);
        if (implementation.code.length == 0) revert NotAContract(implementation);
        _isRelease[implementation] = true;
        _releases.push(implementation);
        emit ReleaseRegistered(implementation, _releases.length - 1, implementation.codehash);
    }

    /// @notice Creates a channel on the latest release with `params`; ether sent along is deposited.
    /// Emits {ChannelCreated}.
    function createChannel(Intermediary.Params calldata params) external payable returns (address channel) {
        address implementation;
        (channel, implementation) = _create(params, msg.value);
        emit ChannelCreated(channel, params.owner, params.payout, implementation, params.token, msg.value);
    }

    /// @notice Creates a channel in the token `params.token` on the latest release and deposits `amount` of it from
    /// the caller, who signed an EIP-2612 permit for it (owner = caller, spender = this factory, value = `amount`,
    /// `deadline`, signature v, r, s). A permit already submitted by someone else (front-running) or an allowance
    /// the caller gave the factory beforehand serves as well. Emits {ChannelCreated} with `amount` as deposit.
    function createChannelWithPermit(
        Intermediary.Params calldata params,
        uint256 amount,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (address channel) {
        if (params.token == address(0)) revert NotATokenChannel(address(0));
        address implementation;
        (channel, implementation) = _create(params, 0);
        _fundWithPermit(channel, IERC20(params.token), amount, deadline, v, r, s, false);
        emit ChannelCreated(channel, params.owner, params.payout, implementation, params.token, amount);
    }

    /// @notice Adds `amount` of its token to the consumer's deposit in `channel` (one of this factory's), from the
    /// caller, with the caller's EIP-2612 permit to this factory as for {createChannelWithPermit}. The channel emits
    /// {Intermediary-Deposited}.
    function depositWithPermit(address channel, uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
    {
        _fundWithPermit(channel, _tokenOf(channel), amount, deadline, v, r, s, false);
    }

    /// @notice Adds `amount` of its token to the SLA collateral of `channel` (one of this factory's), from the caller
    /// (the provider), with the caller's EIP-2612 permit to this factory. The channel emits
    /// {Intermediary-CollateralDeposited}.
    function depositCollateralWithPermit(
        address channel,
        uint256 amount,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        _fundWithPermit(channel, _tokenOf(channel), amount, deadline, v, r, s, true);
    }

    /// @notice Claims on many channels (of release 2 or later) in one transaction, each on behalf of the caller,
    /// who must be each channel's operator or payout. A claim that reverts does not revert the others: it emits
    /// {ClaimFailed} and pays 0. Returns what each claim paid.
    function claimMany(ClaimCall[] calldata calls) external returns (uint256[] memory amounts) {
        amounts = new uint256[](calls.length);
        for (uint256 i = 0; i < calls.length; i++) {
            ClaimCall calldata c = calls[i];
            if (!_isChannel[c.channel]) {
                emit ClaimFailed(c.channel, c.epoch, abi.encodeWithSelector(NotAChannel.selector, c.channel));
                continue;
            }
            try IntermediaryRelease2(c.channel).claimFor(msg.sender, c.epoch, c.vouchers) returns (uint256 paid) {
                amounts[i] = paid;
            } catch (bytes memory reason) {
                emit ClaimFailed(c.channel, c.epoch, reason);
            }
        }
    }

    /// @inheritdoc IReleaseRegistry
    function isRelease(address implementation) external view returns (bool) {
        return _isRelease[implementation];
    }

    /// @notice Whether `channel` was created by this factory.
    function isChannel(address channel) external view returns (bool) {
        return _isChannel[channel];
    }

    /// @notice All releases, oldest first.
    function releases() external view returns (address[] memory) {
        return _releases;
    }

    /// @notice The release new channels are created with.
    function latestRelease() external view returns (address) {
        if (_releases.length == 0) revert NoRelease();
        return _releases[_releases.length - 1];
    }

    function _create(Intermediary.Params calldata params, uint256 value)
        private
        returns (address channel, address implementation)
    {
        if (_releases.length == 0) revert NoRelease();
        implementation = _releases[_releases.length - 1];
        channel = address(
            new ERC1967Proxy{value: value}(
                implementation, abi.encodeCall(Intermediary.initialize, (params, address(this)))
            )
        );
        _isChannel[channel] = true;
    }

    function _tokenOf(address channel) private view returns (IERC20) {
        if (!_isChannel[channel]) revert NotAChannel(channel);
        (,,, address token,,) = Intermediary(channel).parties();
        if (token == address(0)) revert NotATokenChannel(channel);
        return IERC20(token);
    }

    /// @dev Applies the caller's permit (a failure is tolerated when the allowance suffices anyway: OpenZeppelin's
    /// advice against permit front-running), takes `amount` from the caller, approves `channel` for exactly that
    /// and lets the channel pull it into the deposit or the collateral.
    function _fundWithPermit(
        address channel,
        IERC20 token,
        uint256 amount,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s,
        bool collateral
    ) private {
        try IERC20Permit(address(token)).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        uint256 allowance = token.allowance(msg.sender, address(this));
        if (allowance < amount) revert PermitNotUsable(allowance, amount);
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = token.balanceOf(address(this)) - before;
        if (received != amount) revert TokenDeliveredLess(amount, received);
        token.forceApprove(channel, amount);
        if (collateral) {
            Intermediary(channel).depositCollateral(amount);
        } else {
            Intermediary(channel).deposit(amount);
        }
        // the channel pulled exactly `amount` (it refuses less); no allowance of the factory's is left behind
        if (token.allowance(address(this), channel) != 0) token.forceApprove(channel, 0);
    }
}
