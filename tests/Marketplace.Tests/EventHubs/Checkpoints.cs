using Azure.Data.Tables;

namespace Marketplace.Tests.EventHubs;

/// <summary>Reads the Event Hubs checkpoints Orleans keeps in Azure Table storage: partition → offset.</summary>
public static class Checkpoints
{
    public static async Task<Dictionary<string, long>> ReadAsync(string table)
    {
        var client = new TableServiceClient(await Azurite.ConnectionStringAsync()).GetTableClient(table);
        var offsets = new Dictionary<string, long>();
        try
        {
            await foreach (var row in client.QueryAsync<TableEntity>())
            {
                if (long.TryParse(row.GetString("Offset"), out var offset))
                {
                    offsets[row.RowKey.Replace("partition_", "", StringComparison.Ordinal)] = offset;
                }
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // no checkpoint written yet
        }

        return offsets;
    }
}
