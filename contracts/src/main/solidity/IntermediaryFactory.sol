// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";
import {IReleaseRegistry} from "./IReleaseRegistry.sol";
import {Intermediary} from "./Intermediary.sol";
import {IntermediaryRelease2} from "./IntermediaryRelease2.sol";

/// @title IntermediaryFactory
/// @notice Creates one Intermediary channel per subscription as an ERC-1967 proxy to the latest registered
/// release, and keeps the append-only release list that channels may upgrade to (with both parties' consent).
/// The consumer calls {createChannel} and pays for it; ether sent along is the first deposit.
contract IntermediaryFactory is IReleaseRegistry, Ownable2Step {
    address[] private _releases;
    mapping(address implementation => bool) private _isRelease;
    mapping(address channel => bool) private _isChannel;

    error NoRelease();
    error AlreadyRegistered(address implementation);
    error NotAContract(address implementation);
    error NotAChannel(address channel);

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
        if (_releases.length == 0) revert NoRelease();
        address implementation = _releases[_releases.length - 1];
        channel = address(
            new ERC1967Proxy{value: msg.value}(
                implementation, abi.encodeCall(Intermediary.initialize, (params, address(this)))
            )
        );
        _isChannel[channel] = true;
        emit ChannelCreated(channel, params.owner, params.payout, implementation, params.token, msg.value);
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
}
