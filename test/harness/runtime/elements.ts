// Stable element ids for the automator: the client caches Element objects by `elementId`, so
// the same node must always get the same id, and an id must keep pointing at its node.
import type { Exparser, ExparserNode } from './exparser'
import { isCustomComponent, tagName } from './tree'

export interface ElementDescriptor {
  elementId: string
  tagName: string
  /** Present for custom components: the client then builds a CustomElement (data, callMethod). */
  nodeId?: string
  /** Present for <video>: the client then builds a ContextElement (callContextMethod). */
  videoId?: string
}

export class ElementRegistry {
  private next = 1
  private readonly ids = new WeakMap<ExparserNode, string>()
  private readonly nodes = new Map<string, WeakRef<ExparserNode>>()

  constructor(private readonly ex: Exparser) {}

  idOf(node: ExparserNode): string {
    let id = this.ids.get(node)
    if (!id) {
      id = `e${this.next++}`
      this.ids.set(node, id)
      this.nodes.set(id, new WeakRef(node))
    }
    return id
  }

  get(id: string): ExparserNode | undefined {
    return this.nodes.get(id)?.deref()
  }

  describe(node: ExparserNode): ElementDescriptor {
    const elementId = this.idOf(node)
    const d: ElementDescriptor = { elementId, tagName: tagName(node) }
    if (isCustomComponent(this.ex, node)) d.nodeId = elementId
    else if (d.tagName === 'video') d.videoId = elementId
    return d
  }
}
