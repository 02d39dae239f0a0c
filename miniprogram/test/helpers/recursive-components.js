/**
 * j-component compiles a template only against components registered before it, so a component
 * that uses itself (components/form-field renders nested objects through itself, as WeChat
 * allows) cannot register. Register it as a chain of copies instead: each level's self-reference
 * points at the next copy, down to RECURSION_DEPTH levels. Used by the jest helpers and by
 * `make screens` (scripts/screens/render.js).
 */
const RECURSION_DEPTH = 5;
function copyDefinition(definition, id, usingComponents) {
  const properties = {};
  Object.keys(definition.properties || {}).forEach((k) => {
    const p = definition.properties[k];
    properties[k] = p && typeof p === 'object' ? Object.assign({}, p) : p;
  });
  return Object.assign({}, definition, {
    id,
    path: id === definition.id ? definition.path : undefined,
    usingComponents,
    properties,
    data: JSON.parse(JSON.stringify(definition.data || {})),
    behaviors: (definition.behaviors || []).slice(),
    options: Object.assign({}, definition.options),
  });
}
/** Lets j-component register components that use themselves, as WeChat allows. */
function allowSelfReference(jComponent) {
  const register = jComponent.register.bind(jComponent);
  jComponent.register = (definition) => {
    const using = definition.usingComponents || {};
    const selfTags = Object.keys(using).filter((tag) => using[tag] === definition.id);
    if (!definition.id || !selfTags.length) return register(definition);
    let childId = register({ id: `${definition.id}x0`, tagName: definition.tagName, template: '<view></view>' });
    for (let depth = 1; depth <= RECURSION_DEPTH; depth += 1) {
      const id = depth === RECURSION_DEPTH ? definition.id : `${definition.id}x${depth}`;
      const levelUsing = Object.assign({}, using);
      selfTags.forEach((tag) => {
        levelUsing[tag] = childId;
      });
      childId = register(copyDefinition(definition, id, levelUsing));
    }
    return childId;
  };
}

module.exports = { allowSelfReference };
