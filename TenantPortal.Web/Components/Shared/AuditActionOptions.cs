using System.Reflection;
using TenantPortal.Core.Audit;

namespace TenantPortal.Web.Components.Shared;

/// <summary>The choices of an audit log's action filter: each group ("member.") followed by its actions ("member.removed").</summary>
public static class AuditActionOptions
{
    /// <summary>Every group and action, from the names the services record (<see cref="AuditActions"/>).</summary>
    public static IReadOnlyList<string> All { get; } = typeof(AuditActions)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .GroupBy(a => a[..(a.IndexOf('.') + 1)])
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .SelectMany(g => g.OrderBy(a => a, StringComparer.Ordinal).Prepend(g.Key))
        .ToList();

    /// <summary>How an option is shown: a group as "member.*  (all)".</summary>
    public static string Label(string option) => option.EndsWith('.') ? $"{option}*  (all)" : option;
}
