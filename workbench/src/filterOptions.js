// What the queue and the statistics offer to filter by: the online items, and the staff member's
// own agency with every agency below it (the only ones the API lets them see).
import { catalog } from './api/staff';

function flatten(nodes) {
  return nodes.flatMap((node) => [node, ...flatten(node.children || [])]);
}

function subtree(nodes, code) {
  for (const node of nodes) {
    if (node.code === code) return flatten([node]);
    const found = subtree(node.children || [], code);
    if (found.length) return found;
  }
  return [];
}

/** { items, agencies } for a signed-in staff member's `user` (its `agency.code`). */
export async function filterOptions(user) {
  const [items, tree] = await Promise.all([catalog.onlineItems(), catalog.agencies()]);
  const own = user && user.agency ? user.agency.code : null;
  return { items, agencies: own ? subtree(Array.isArray(tree) ? tree : tree.items || [], own) : [] };
}
