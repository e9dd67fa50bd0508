using System.Collections;
using System.Data.Common;

namespace BotStateCluster.Silo.Storage;

/// <summary>
/// The rows one statement returned, held in memory and read like the driver's reader: a batched write hands its
/// result to the provider after the transaction committed, when the driver's reader is long gone. Lighter than a
/// <see cref="System.Data.DataTable"/>, which cost several kB of index and change tracking per write.
/// </summary>
internal sealed class BufferedRows(string[] names, Type[] types, List<object[]> rows) : DbDataReader
{
    private int _row = -1;
    private bool _closed;

    /// <summary>Reads the rows of the reader's current result, to its end.</summary>
    public static async Task<BufferedRows> ReadAsync(DbDataReader reader)
    {
        var names = new string[reader.FieldCount];
        var types = new Type[reader.FieldCount];
        for (var column = 0; column < names.Length; column++)
        {
            names[column] = reader.GetName(column);
            types[column] = reader.GetFieldType(column);
        }

        var rows = new List<object[]>(1);
        while (await reader.ReadAsync())
        {
            var values = new object[names.Length];
            reader.GetValues(values);
            rows.Add(values);
        }

        return new BufferedRows(names, types, rows);
    }

    public override int FieldCount => names.Length;

    public override bool HasRows => rows.Count > 0;

    public override bool IsClosed => _closed;

    public override int RecordsAffected => -1;

    public override int Depth => 0;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override bool Read() => !_closed && ++_row < rows.Count;

    public override bool NextResult() => false;

    public override void Close() => _closed = true;

    public override string GetName(int ordinal) => names[ordinal];

    public override int GetOrdinal(string name)
    {
        var ordinal = Array.FindIndex(names, known => string.Equals(known, name, StringComparison.OrdinalIgnoreCase));
        return ordinal >= 0 ? ordinal : throw new IndexOutOfRangeException($"No column named '{name}'.");
    }

    public override Type GetFieldType(int ordinal) => types[ordinal];

    public override string GetDataTypeName(int ordinal) => types[ordinal].Name;

    public override object GetValue(int ordinal) =>
        _row >= 0 && _row < rows.Count ? rows[_row][ordinal] : throw new InvalidOperationException("No current row.");

    public override int GetValues(object[] values)
    {
        var count = Math.Min(values.Length, names.Length);
        for (var i = 0; i < count; i++)
        {
            values[i] = GetValue(i);
        }

        return count;
    }

    public override bool IsDBNull(int ordinal) => GetValue(ordinal) is DBNull;

    public override bool GetBoolean(int ordinal) => (bool)GetValue(ordinal);

    public override byte GetByte(int ordinal) => (byte)GetValue(ordinal);

    public override char GetChar(int ordinal) => (char)GetValue(ordinal);

    public override DateTime GetDateTime(int ordinal) => (DateTime)GetValue(ordinal);

    public override decimal GetDecimal(int ordinal) => (decimal)GetValue(ordinal);

    public override double GetDouble(int ordinal) => (double)GetValue(ordinal);

    public override float GetFloat(int ordinal) => (float)GetValue(ordinal);

    public override Guid GetGuid(int ordinal) => (Guid)GetValue(ordinal);

    public override short GetInt16(int ordinal) => (short)GetValue(ordinal);

    public override int GetInt32(int ordinal) => (int)GetValue(ordinal);

    public override long GetInt64(int ordinal) => (long)GetValue(ordinal);

    public override string GetString(int ordinal) => (string)GetValue(ordinal);

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) =>
        CopyOut((byte[])GetValue(ordinal), dataOffset, buffer, bufferOffset, length);

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) =>
        CopyOut(GetString(ordinal).ToCharArray(), dataOffset, buffer, bufferOffset, length);

    public override IEnumerator GetEnumerator() => new DbEnumerator(this);

    // The DbDataReader contract for GetBytes and GetChars: without a buffer, the length of the whole value.
    private static long CopyOut<T>(T[] value, long dataOffset, T[]? buffer, int bufferOffset, int length)
    {
        if (buffer is null)
        {
            return value.Length;
        }

        var count = (int)Math.Max(0, Math.Min(length, value.Length - dataOffset));
        Array.Copy(value, dataOffset, buffer, bufferOffset, count);
        return count;
    }
}
