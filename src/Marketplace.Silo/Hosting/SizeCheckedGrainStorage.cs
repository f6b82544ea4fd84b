using Azure;
using Marketplace.Grains;
using Orleans.Storage;

namespace Marketplace.Silo.Hosting;

/// <summary>
/// Azure Table grain storage that reports a state too large to store as what it is, a
/// <see cref="GrainStateTooLargeException"/> naming the grain and the size, rather than the generic
/// storage error Orleans would wrap it in (which reads as transient and would be retried in vain).
/// </summary>
public sealed class SizeCheckedGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private const string Provider = "Azure Table storage";

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        inner.ReadStateAsync(stateName, grainId, grainState, cancellationToken);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        try
        {
            await inner.WriteStateAsync(stateName, grainId, grainState, cancellationToken);
        }
        catch (ArgumentOutOfRangeException ex) when (ex.ParamName is "dataSize" or "GrainState.Size")
        {
            // Orleans' check before the write: "Data too large to write to Azure table. Size=... MaxSize=..."
            throw new GrainStateTooLargeException(grainId, Provider, ex.ActualValue is int size ? $"{size} bytes" : "too large", ex);
        }
        catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status413PayloadTooLarge || ex.ErrorCode is "EntityTooLarge" or "PropertyValueTooLarge")
        {
            throw new GrainStateTooLargeException(grainId, Provider, "over the 1 MiB entity limit", ex);
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        inner.ClearStateAsync(stateName, grainId, grainState, cancellationToken);
}
